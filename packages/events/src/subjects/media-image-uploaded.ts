import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * An image was uploaded and stored: the image worker makes its variants, and the message subgraph learns
 * whose it is (only its owner may attach it).
 */
export const mediaImageUploaded = defineEvent(
  'media.image.uploaded',
  1,
  z.object({
    imageId: z.string(),
    ownerId: z.string(),
    purpose: z.enum(['MESSAGE', 'AVATAR', 'CHAT_PHOTO']),
    originalKey: z.string(),
  }),
);

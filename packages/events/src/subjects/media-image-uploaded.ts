import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** The owner of images the server fetched itself (link previews): nobody's upload. */
export const SERVER_OWNER_ID = '00000000-0000-0000-0000-000000000000';

/**
 * An image was uploaded and stored: the image worker makes its variants, and the message subgraph learns
 * whose it is (only its owner may attach it). A LINK_PREVIEW image is one the server fetched for a link
 * preview: its owner is {@link SERVER_OWNER_ID}.
 */
export const mediaImageUploaded = defineEvent(
  'media.image.uploaded',
  1,
  z.object({
    imageId: z.string(),
    ownerId: z.string(),
    purpose: z.enum(['MESSAGE', 'AVATAR', 'CHAT_PHOTO', 'LINK_PREVIEW']),
    originalKey: z.string(),
  }),
);

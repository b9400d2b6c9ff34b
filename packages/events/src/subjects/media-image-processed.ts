import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** The image worker is done with an image: its variants are READY, or it FAILED (and why). */
export const mediaImageProcessed = defineEvent(
  'media.image.processed',
  1,
  z.object({
    imageId: z.string(),
    ownerId: z.string(),
    status: z.enum(['READY', 'FAILED']),
    failureReason: z.string().nullable(),
  }),
);

import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** An image was uploaded and stored: the image worker makes its variants. */
export const mediaImageUploaded = defineEvent(
  'media.image.uploaded',
  1,
  z.object({ imageId: z.string(), originalKey: z.string() }),
);

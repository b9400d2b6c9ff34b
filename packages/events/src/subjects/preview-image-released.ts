import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A link preview no longer shows the image the media worker fetched for it (the page changed): it can go. */
export const previewImageReleased = defineEvent(
  'preview.image.released',
  1,
  z.object({
    imageId: z.string(),
  }),
);

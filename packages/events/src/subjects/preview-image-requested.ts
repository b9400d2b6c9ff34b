import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * A page's preview names an image (`og:image`): the media worker fetches it (through the same safe fetcher
 * as pages), stores it as image `imageId` and processes it like an upload; `media.image.processed` says
 * when it is READY or FAILED.
 */
export const previewImageRequested = defineEvent(
  'preview.image.requested',
  1,
  z.object({
    imageId: z.string(),
    url: z.string(),
  }),
);

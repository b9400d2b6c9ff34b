import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A group chat's photo was set, replaced or removed; the replaced image is no longer in use. */
export const chatPhotoChanged = defineEvent(
  'chat.photo-changed',
  1,
  z.object({
    chatId: z.string(),
    photoImageId: z.string().nullable(),
    replacedPhotoImageId: z.string().nullable(),
    changedBy: z.string(),
  }),
);

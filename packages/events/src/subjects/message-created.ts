import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A message was stored; `firstLink` is the first http(s) link of its text (for the preview worker). */
export const messageCreated = defineEvent(
  'message.created',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    senderId: z.string(),
    imageId: z.string().nullable(),
    firstLink: z.string().nullable(),
    createdAt: z.iso.datetime(),
  }),
);

import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A message's text changed; `firstLink` is the first link of the new text. */
export const messageEdited = defineEvent(
  'message.edited',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    firstLink: z.string().nullable(),
    editedAt: z.iso.datetime(),
  }),
);

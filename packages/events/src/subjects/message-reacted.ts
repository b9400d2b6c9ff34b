import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** Someone added or took back an emoji reaction to a message. */
export const messageReacted = defineEvent(
  'message.reacted',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    userId: z.string(),
    emoji: z.string(),
    /** true when the reaction was added, false when it was taken back. */
    added: z.boolean(),
    at: z.iso.datetime(),
  }),
);

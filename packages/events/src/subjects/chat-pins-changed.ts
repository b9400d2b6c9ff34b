import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A message was pinned to its chat or unpinned (also when a pinned message is deleted). */
export const chatPinsChanged = defineEvent(
  'chat.pins-changed',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    pinned: z.boolean(),
    by: z.string(),
  }),
);

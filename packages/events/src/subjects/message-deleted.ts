import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A message became a tombstone. */
export const messageDeleted = defineEvent(
  'message.deleted',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    deletedBy: z.string(),
    deletedAt: z.iso.datetime(),
  }),
);

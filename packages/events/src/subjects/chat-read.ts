import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A member's read mark moved forward. */
export const chatRead = defineEvent(
  'chat.read',
  1,
  z.object({ chatId: z.string(), userId: z.string(), readSeq: z.number().int().nonnegative() }),
);

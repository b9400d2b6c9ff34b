import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A group chat got a new name. */
export const chatRenamed = defineEvent(
  'chat.renamed',
  1,
  z.object({ chatId: z.string(), name: z.string(), renamedBy: z.string() }),
);

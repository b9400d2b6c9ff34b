import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/** A direct or group chat was created with these members. */
export const chatCreated = defineEvent(
  'chat.created',
  1,
  z.object({
    chatId: z.string(),
    kind: z.enum(['DIRECT', 'GROUP']),
    createdBy: z.string(),
    memberIds: z.array(z.string()),
  }),
);

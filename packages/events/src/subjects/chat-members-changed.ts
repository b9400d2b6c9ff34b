import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * Membership of a group changed: people added, removed (or left), or a role changed. `memberIds` is the
 * membership after the change, so a consumer needs no query to know who is in the chat now.
 */
export const chatMembersChanged = defineEvent(
  'chat.members-changed',
  1,
  z.object({
    chatId: z.string(),
    changedBy: z.string(),
    added: z.array(z.string()),
    removed: z.array(z.string()),
    roles: z.array(z.object({ userId: z.string(), role: z.enum(['OWNER', 'ADMIN', 'MEMBER']) })),
    memberIds: z.array(z.string()),
  }),
);

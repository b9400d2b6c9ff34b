import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * A message some members should be told of while away: the message subgraph (which owns membership, mutes, blocks
 * and presence) names them; the notification worker, beside what it owns (their browsers, settings, names and
 * email), pushes or emails. `recipientIds` are the chat's members but the sender, those who muted the chat, those
 * who blocked the sender, and those with a live connection (at most a group's 256 members).
 */
export const notificationRequested = defineEvent(
  // Under message.>: the events stream takes it as it is (no process of an older release drops a new subject).
  'message.notification-requested',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    senderId: z.string(),
    chatKind: z.enum(['DIRECT', 'GROUP']),
    /** The group's name; null for a direct chat (the sender's name is the worker's to add). */
    chatName: z.string().nullable(),
    /** The start of the text (QUOTE_EXCERPT_LENGTH); null without text. */
    excerpt: z.string().nullable(),
    hasImage: z.boolean(),
    hasFile: z.boolean(),
    recipientIds: z.array(z.string()).max(256),
    createdAt: z.iso.datetime(),
  }),
);

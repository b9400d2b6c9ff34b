import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * A message's link preview settled (READY or FAILED) after the message was shown with it PENDING: the
 * message subgraph tells the chat's members with `messageUpdated`.
 */
export const previewUpdated = defineEvent(
  'preview.updated',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    status: z.enum(['READY', 'FAILED']),
  }),
);

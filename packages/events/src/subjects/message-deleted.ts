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
    /**
     * The message's image, when no other message shows it any more: the media worker deletes it (the message
     * subgraph knows every message that shows an image; absent in events written before it was added).
     */
    releasedImageId: z.string().nullable().optional(),
    /** Likewise the message's file, when no other message shows it any more. */
    releasedFileId: z.string().nullable().optional(),
  }),
);

import { z } from 'zod';
import { defineEvent } from '../contract.ts';

/**
 * A message was stored; `firstLink` is the first http(s) link of its text (for the preview worker). Published
 * on `message.created.<link|no-link>.<image|file|no-image>` (the last token names the attachment; `no-image`,
 * the name from before files, means none), so the workers receive only the messages they act on (see
 * MESSAGES_WITH_A_LINK, MESSAGES_WITH_AN_IMAGE, MESSAGES_WITH_A_FILE), not every text message to ignore it.
 */
export const messageCreated = defineEvent(
  'message.created',
  1,
  z.object({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int().positive(),
    senderId: z.string(),
    imageId: z.string().nullable(),
    /** The attached file (never with an image); absent in events written before files. */
    fileId: z.string().nullable().optional(),
    firstLink: z.string().nullable(),
    createdAt: z.iso.datetime(),
  }),
  (data) => [data.firstLink ? 'link' : 'no-link', data.imageId ? 'image' : data.fileId ? 'file' : 'no-image'],
);

/** The `message.created` events of messages with a link in their text. */
export const MESSAGES_WITH_A_LINK = 'message.created.link.*';
/** The `message.created` events of messages showing an image. */
export const MESSAGES_WITH_AN_IMAGE = 'message.created.*.image';
/** The `message.created` events of messages with a file attached. */
export const MESSAGES_WITH_A_FILE = 'message.created.*.file';

import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { consumePoint, parseMessageId, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { deleteMessage, editMessageText, findMessageByClientId, lockMessage } from '../../data/message-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { MAX_CLIENT_MESSAGE_ID_LENGTH, MAX_MESSAGE_LENGTH } from '../../limits.ts';
import { formatTextCached } from '../../text/format-text.ts';
import { isAdmin, requireNotBlocked } from '../access.ts';
import { storeSend } from './store-send.ts';
import { writeWithEvents } from './write-with-events.ts';

/** A retry key: trimmed, 1 to MAX_CLIENT_MESSAGE_ID_LENGTH characters. */
function clientMessageIdOf(input: string): string {
  const clientMessageId = input.trim();
  if (clientMessageId.length === 0 || clientMessageId.length > MAX_CLIENT_MESSAGE_ID_LENGTH) {
    throw badUserInput(`clientMessageId has 1 to ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters.`, 'clientMessageId');
  }
  return clientMessageId;
}

/** Trimmed text of 1 to MAX_MESSAGE_LENGTH characters (code points, so an emoji counts once). */
function messageText(input: string, field: string): string {
  const text = input.trim();
  const length = [...text].length;
  if (length === 0) throw badUserInput('The message is empty.', field);
  if (length > MAX_MESSAGE_LENGTH) throw badUserInput(`A message has at most ${MAX_MESSAGE_LENGTH} characters.`, field);
  return text;
}

export const messageMutations: MutationResolvers<MessageContext> = {
  async sendMessage(_parent, { input }, context) {
    const viewer = requireViewer(context);
    const chatId = parseUuid(input.chatId, 'chatId');
    const clientMessageId = clientMessageIdOf(input.clientMessageId);
    const imageId = input.imageId ? parseUuid(input.imageId, 'imageId') : null;
    const fileId = input.fileId ? parseUuid(input.fileId, 'fileId') : null;
    if (imageId && fileId) throw badUserInput('A message has an image or a file, not both.', 'fileId');
    const replyTo = input.replyToId ? parseMessageId(input.replyToId, 'replyToId') : null;
    if (replyTo && replyTo.chatId !== chatId)
      throw badUserInput('A reply answers a message of its own chat.', 'replyToId');
    const text =
      input.text === null || input.text === undefined || ((imageId || fileId) && input.text.trim() === '')
        ? null
        : messageText(input.text, 'text');
    if (text === null && imageId === null && fileId === null)
      throw badUserInput('A message needs text, an image or a file.', 'text');
    return storeSend(context, viewer.userId, {
      chatId,
      clientMessageId,
      text,
      imageId,
      fileId,
      replyToSeq: replyTo?.seq ?? null,
      forwarded: false,
    });
  },

  async forwardMessage(_parent, args, context) {
    const viewer = requireViewer(context);
    const toChatId = parseUuid(args.toChatId, 'toChatId');
    const clientMessageId = clientMessageIdOf(args.clientMessageId);
    parseMessageId(args.messageId);
    // The loader answers only for a chat the viewer is a member of.
    const original = await context.loaders.message.load(args.messageId);
    if (!original || original.deletedAt) {
      // A retry of a forward whose original was deleted since is answered with the copy.
      const stored = await findMessageByClientId(context.db, toChatId, viewer.userId, clientMessageId);
      if (stored && (await context.loaders.chat.load(toChatId))) return stored;
      if (!original) throw notFound('No such message.');
      throw badUserInput('A deleted message cannot be forwarded.', 'messageId');
    }
    return storeSend(context, viewer.userId, {
      chatId: toChatId,
      clientMessageId,
      text: original.text,
      imageId: original.imageId,
      fileId: original.fileId,
      replyToSeq: null,
      forwarded: true,
    });
  },

  async editMessage(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    const text = messageText(args.text, 'text');
    await consumePoint(context.services.messageChangeLimiter, viewer.userId);
    return writeWithEvents(context, (db) =>
      db.transaction(async (tx) => {
        const locked = await lockMessage(tx, chatId, seq, viewer.userId);
        if (!locked) throw notFound('No such message.');
        if (locked.message.senderId !== viewer.userId) throw forbidden('Only the sender edits a message.');
        if (locked.message.deletedAt) throw badUserInput('A deleted message cannot be edited.', 'messageId');
        await requireNotBlocked(tx, locked.chat);
        if (locked.message.text === text) return locked.message;
        return editMessageText(tx, locked.message, text, formatTextCached(text).firstLink);
      }),
    );
  },

  async deleteMessage(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    await consumePoint(context.services.messageChangeLimiter, viewer.userId);
    return writeWithEvents(context, (db) =>
      db.transaction(async (tx) => {
        const locked = await lockMessage(tx, chatId, seq, viewer.userId);
        if (!locked) throw notFound('No such message.');
        const mine = locked.message.senderId === viewer.userId;
        if (!mine && !(locked.chat.kind === 'GROUP' && isAdmin(locked.member.role))) {
          throw forbidden('Only the sender or a group admin deletes a message.');
        }
        if (locked.message.deletedAt) return locked.message;
        return deleteMessage(tx, locked.message, viewer.userId);
      }),
    );
  },
};

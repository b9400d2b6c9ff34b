import { GraphQLError } from 'graphql';
import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { retryingRaces } from '@letstalk/db';
import { consumePoint, parseMessageId, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { isOwnImage } from '../../data/known-images.ts';
import {
  deleteMessage,
  editMessageText,
  findMessageByClientId,
  lockMessage,
  sendMessage,
} from '../../data/message-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { addReaction, removeReaction } from '../../data/reaction-repository.ts';
import {
  MAX_CLIENT_MESSAGE_ID_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_REACTION_EMOJI_LENGTH,
  MAX_REACTION_EMOJI_PER_MESSAGE,
} from '../../limits.ts';
import { formatTextCached, isSingleEmoji } from '../../text/format-text.ts';
import { isAdmin } from '../access.ts';
import { writeWithEvents } from './write-with-events.ts';

/** Trimmed text of 1 to MAX_MESSAGE_LENGTH characters (code points, so an emoji counts once). */
function messageText(input: string, field: string): string {
  const text = input.trim();
  const length = [...text].length;
  if (length === 0) throw badUserInput('The message is empty.', field);
  if (length > MAX_MESSAGE_LENGTH) throw badUserInput(`A message has at most ${MAX_MESSAGE_LENGTH} characters.`, field);
  return text;
}

/** One emoji, at most MAX_REACTION_EMOJI_LENGTH code points; anything else is BAD_USER_INPUT. */
function reactionEmoji(input: string): string {
  if ([...input].length > MAX_REACTION_EMOJI_LENGTH || !isSingleEmoji(input)) {
    throw badUserInput('A reaction is one emoji.', 'emoji');
  }
  return input;
}

export const messageMutations: MutationResolvers<MessageContext> = {
  async sendMessage(_parent, { input }, context) {
    const viewer = requireViewer(context);
    const chatId = parseUuid(input.chatId, 'chatId');
    const clientMessageId = input.clientMessageId.trim();
    if (clientMessageId.length === 0 || clientMessageId.length > MAX_CLIENT_MESSAGE_ID_LENGTH) {
      throw badUserInput(`clientMessageId has 1 to ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters.`, 'clientMessageId');
    }
    const imageId = input.imageId ? parseUuid(input.imageId, 'imageId') : null;
    const replyTo = input.replyToId ? parseMessageId(input.replyToId, 'replyToId') : null;
    if (replyTo && replyTo.chatId !== chatId)
      throw badUserInput('A reply answers a message of its own chat.', 'replyToId');
    const text =
      input.text === null || input.text === undefined || (imageId && input.text.trim() === '')
        ? null
        : messageText(input.text, 'text');
    if (text === null && imageId === null) throw badUserInput('A message needs text or an image.', 'text');

    // Taken before any wait below, so an unknown image costs a send like any other. A retry of a stored message
    // never costs a send: refused, it is answered with the stored message; let through, its point is given back
    // once the transaction finds it stored (one statement fewer for every send than looking it up first).
    const storedRetry = async () => {
      const stored = await findMessageByClientId(context.db, chatId, viewer.userId, clientMessageId);
      return stored && (await context.loaders.chat.load(chatId)) ? stored : undefined;
    };
    try {
      await consumePoint(context.services.sendLimiter, viewer.userId);
    } catch (error) {
      if (!(error instanceof GraphQLError) || error.extensions.code !== 'RATE_LIMITED') throw error;
      const stored = await storedRetry();
      if (stored) return stored;
      throw error;
    }
    // Only the uploader attaches an image (to as many messages as they like); anyone else's is NOT_FOUND. A retry
    // of a message whose image has since been released (the message deleted) is answered with the message.
    if (imageId && !(await isOwnImage(context.db, viewer.userId, imageId, 'MESSAGE'))) {
      const stored = await storedRetry();
      if (!stored) throw notFound('No such image.');
      await context.services.sendLimiter.reward(viewer.userId, 1);
      return stored;
    }
    const outcome = await writeWithEvents(
      context,
      (db) =>
        retryingRaces(() =>
          sendMessage(db, {
            chatId,
            senderId: viewer.userId,
            clientMessageId,
            text,
            imageId,
            firstLink: text ? formatTextCached(text).firstLink : null,
            replyToSeq: replyTo?.seq ?? null,
          }),
        ),
      // Its event is published by id at once (the relay's cheapest path).
      (sent) => (sent.kind === 'sent' ? [sent.eventId] : false),
    );
    if (outcome.kind === 'not-member') throw notFound('No such chat.');
    if (outcome.kind === 'reply-missing') throw notFound('No such message to reply to.');
    if (outcome.kind === 'reply-deleted') throw badUserInput('A deleted message cannot be replied to.', 'replyToId');
    if (outcome.kind === 'duplicate') await context.services.sendLimiter.reward(viewer.userId, 1);
    context.loaders.chat.clear(chatId);
    return outcome.message;
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
        if (locked.message.text === text) return locked.message;
        return editMessageText(tx, locked.message, text, formatTextCached(text).firstLink);
      }),
    );
  },

  async addReaction(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    const emoji = reactionEmoji(args.emoji);
    await consumePoint(context.services.reactionLimiter, viewer.userId);
    const outcome = await writeWithEvents(context, (db) =>
      addReaction(db, { chatId, seq, userId: viewer.userId, emoji }),
    );
    if (outcome.kind === 'not-found') throw notFound('No such message.');
    if (outcome.kind === 'deleted') throw badUserInput('A deleted message cannot be reacted to.', 'messageId');
    if (outcome.kind === 'too-many-emoji') {
      throw badUserInput(
        `A message has at most ${MAX_REACTION_EMOJI_PER_MESSAGE} different reactions; add to one of them.`,
        'emoji',
      );
    }
    context.loaders.reactions.clear(args.messageId);
    return outcome.message;
  },

  async removeReaction(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    const emoji = reactionEmoji(args.emoji);
    await consumePoint(context.services.reactionLimiter, viewer.userId);
    const outcome = await writeWithEvents(context, (db) =>
      removeReaction(db, { chatId, seq, userId: viewer.userId, emoji }),
    );
    if (outcome.kind === 'not-found' || outcome.kind === 'deleted' || outcome.kind === 'too-many-emoji')
      throw notFound('No such message.');
    context.loaders.reactions.clear(args.messageId);
    return outcome.message;
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

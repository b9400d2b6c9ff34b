import { badUserInput, notFound } from '@letstalk/errors';
import { consumePoint, messageIdOf, parseMessageId, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { addReaction, removeReaction } from '../../data/reaction-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { MAX_REACTION_EMOJI_LENGTH, MAX_REACTION_EMOJI_PER_MESSAGE } from '../../limits.ts';
import { isSingleEmoji } from '../../text/format-text.ts';
import { requireChat, requireNotBlocked } from '../access.ts';
import { writeWithEvents } from './write-with-events.ts';

/** One emoji, at most MAX_REACTION_EMOJI_LENGTH code points; anything else is BAD_USER_INPUT. */
function reactionEmoji(input: string): string {
  if ([...input].length > MAX_REACTION_EMOJI_LENGTH || !isSingleEmoji(input)) {
    throw badUserInput('A reaction is one emoji.', 'emoji');
  }
  return input;
}

export const reactionMutations: MutationResolvers<MessageContext> = {
  async addReaction(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    const emoji = reactionEmoji(args.emoji);
    await consumePoint(context.services.reactionLimiter, viewer.userId);
    await requireNotBlocked(context.db, await requireChat(context, chatId));
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
    context.loaders.reactions.clear(messageIdOf(outcome.message));
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
    if (outcome.kind === 'not-found') throw notFound('No such message.');
    context.loaders.reactions.clear(messageIdOf(outcome.message));
    return outcome.message;
  },
};

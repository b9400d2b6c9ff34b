import { badUserInput } from '@letstalk/errors';
import type { MessageContext } from '../context.ts';
import type { ReactionResolvers } from '../generated/resolvers.ts';
import { userReference } from '../ids.ts';
import { MAX_REACTION_USERS_PAGE_SIZE } from '../limits.ts';

export const Reaction: ReactionResolvers<MessageContext> = {
  async users(reaction, { first }, context) {
    const size = first ?? 10;
    if (!Number.isInteger(size) || size < 1 || size > MAX_REACTION_USERS_PAGE_SIZE) {
      throw badUserInput(`first is 1 to ${MAX_REACTION_USERS_PAGE_SIZE}.`, 'first');
    }
    const userIds = await context.loaders.reactors.load({
      chatId: reaction.chatId,
      seq: reaction.seq,
      emoji: reaction.emoji,
      first: size,
    });
    return userIds.map(userReference);
  },
};

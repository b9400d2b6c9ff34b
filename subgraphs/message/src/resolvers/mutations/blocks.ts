import { badUserInput } from '@letstalk/errors';
import { parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { blockUser, unblockUser } from '../../data/block-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { userReference } from '../../ids.ts';
import { MAX_BLOCKED_USERS } from '../../limits.ts';
import { signalPresence } from '../../presence/presence-service.ts';
import { requireAccounts, takeChatChange } from './chat-changes.ts';

/** The person a block is about: another account that exists. */
async function otherPerson(context: MessageContext, userId: string): Promise<{ viewerId: string; userId: string }> {
  const viewer = requireViewer(context);
  const otherId = parseUuid(userId, 'userId');
  if (otherId === viewer.userId) throw badUserInput('You cannot block yourself.', 'userId');
  await takeChatChange(context);
  await requireAccounts(context, [otherId]);
  return { viewerId: viewer.userId, userId: otherId };
}

/** A block hides each one's presence from the other (and unblocking shows it again): both hear of it at once. */
function presenceAcrossBlock(context: MessageContext, viewerId: string, userId: string): void {
  signalPresence(context.services.nc, [viewerId], userId);
  signalPresence(context.services.nc, [userId], viewerId);
}

export const blockMutations: MutationResolvers<MessageContext> = {
  async blockUser(_parent, args, context) {
    const { viewerId, userId } = await otherPerson(context, args.userId);
    if ((await blockUser(context.db, viewerId, userId, MAX_BLOCKED_USERS)) === 'full')
      throw badUserInput(`At most ${MAX_BLOCKED_USERS} people can be blocked; unblock someone first.`, 'userId');
    presenceAcrossBlock(context, viewerId, userId);
    return userReference(userId);
  },

  async unblockUser(_parent, args, context) {
    const { viewerId, userId } = await otherPerson(context, args.userId);
    await unblockUser(context.db, viewerId, userId);
    presenceAcrossBlock(context, viewerId, userId);
    return userReference(userId);
  },
};

import { retryingRaces } from '@letstalk/db';
import { notFound } from '@letstalk/errors';
import { consumePoint, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import { setPresenceHidden } from '../data/presence-repository.ts';
import type { MutationResolvers, PresenceResolvers, QueryResolvers, UserResolvers } from '../generated/resolvers.ts';
import { userReference } from '../ids.ts';
import { writeWithEvents } from './mutations/write-with-events.ts';

export const Presence: PresenceResolvers<MessageContext> = {
  user: (presence) => userReference(presence.userId),
};

export const User: UserResolvers<MessageContext> = {
  presence: (user, _args, context) => context.loaders.presence.load(user.id),
};

export const presenceQueries: QueryResolvers<MessageContext> = {
  async presence(_parent, { userId }, context) {
    requireViewer(context);
    const presence = await context.loaders.presence.load(parseUuid(userId, 'userId'));
    if (!presence) throw notFound('No such person among the people you share a chat with.');
    return presence;
  },
};

export const presenceMutations: MutationResolvers<MessageContext> = {
  async setPresenceHidden(_parent, { hidden }, context) {
    const viewer = requireViewer(context);
    await consumePoint(context.services.presenceSettingLimiter, viewer.userId);
    await writeWithEvents(
      context,
      (db) => retryingRaces(() => db.transaction((tx) => setPresenceHidden(tx, viewer.userId, hidden))),
      (msgId) => [msgId],
    );
    context.loaders.presence.clear(viewer.userId);
    const presence = await context.loaders.presence.load(viewer.userId);
    if (!presence) throw new Error('the viewer’s own presence is always visible to them');
    return presence;
  },
};

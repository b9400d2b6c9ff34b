import { appError } from '@letstalk/errors';
import { consumePoint, requireViewer } from '@letstalk/server';
import type { UserContext } from '../context.ts';
import {
  notificationSettingsOf,
  pushSubscriptionsOf,
  registerPushSubscription,
  unregisterPushSubscription,
  updateNotificationSettings,
} from '../data/notification-repository.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers.ts';
import { checkPushSubscription } from '../notifications/push-subscription.ts';

/** The viewer's settings as `NotificationSettings` shows them. */
async function settingsOf(context: UserContext, userId: string) {
  const { db, vapid } = context.services;
  const [settings, subscriptions] = await Promise.all([
    notificationSettingsOf(db, userId),
    pushSubscriptionsOf(db, userId),
  ]);
  return { ...settings, vapidPublicKey: vapid?.publicKey ?? null, pushSubscriptions: subscriptions };
}

export const notificationQueries: QueryResolvers<UserContext> = {
  notificationSettings: (_parent, _args, context) => settingsOf(context, requireViewer(context).userId),
};

export const notificationMutations: MutationResolvers<UserContext> = {
  async registerPushSubscription(_parent, { input }, context) {
    const viewer = requireViewer(context);
    const { db, env, vapid, limits } = context.services;
    const keys = checkPushSubscription(input, env.PUSH_ALLOW_HOSTS);
    if (!vapid) throw appError('UNAVAILABLE', 'Push notifications are not set up on this server.');
    await consumePoint(limits.notificationChangesPerUser, viewer.userId);
    return registerPushSubscription(db, viewer.userId, keys);
  },

  async unregisterPushSubscription(_parent, { endpoint }, context) {
    const viewer = requireViewer(context);
    await consumePoint(context.services.limits.notificationChangesPerUser, viewer.userId);
    // Stored as its URL parser writes it (checkPushSubscription), so it is looked up the same way.
    const written = URL.canParse(endpoint.trim()) ? new URL(endpoint.trim()).href : endpoint.trim();
    return unregisterPushSubscription(context.services.db, viewer.userId, written);
  },

  async updateNotificationSettings(_parent, { input }, context) {
    const viewer = requireViewer(context);
    await consumePoint(context.services.limits.notificationChangesPerUser, viewer.userId);
    await updateNotificationSettings(context.services.db, viewer.userId, {
      ...(input.showPreviews != null ? { showPreviews: input.showPreviews } : {}),
      ...(input.emailDigest != null ? { emailDigest: input.emailDigest } : {}),
    });
    return settingsOf(context, viewer.userId);
  },
};

import type { MessageDb } from '../data/tables.ts';
import { blockedEitherWayAmong, findPresence, partnersAmong } from '../data/presence-repository.ts';
import { presenceAsSeen, type PresenceView } from './presence-view.ts';

/**
 * The presence of each of `userIds` as `viewerId` sees it: null for someone who shares no chat with the viewer
 * (and for every one without a viewer); the viewer's own as it is.
 */
export async function loadPresence(
  db: MessageDb,
  viewerId: string | undefined,
  userIds: readonly string[],
): Promise<(PresenceView | null)[]> {
  if (!viewerId) return userIds.map(() => null);
  const others = userIds.filter((id) => id !== viewerId);
  const [partners, blocked, rows] = await Promise.all([
    partnersAmong(db, viewerId, others),
    blockedEitherWayAmong(db, viewerId, others),
    findPresence(db, userIds),
  ]);
  const byUser = new Map(rows.map((row) => [row.userId, row]));
  return userIds.map((userId) => {
    const own = userId === viewerId;
    if (!own && !partners.has(userId)) return null;
    return presenceAsSeen(userId, byUser.get(userId), { own, blocked: blocked.has(userId) });
  });
}

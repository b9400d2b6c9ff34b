import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { publishLive } from '@letstalk/events';
import { badUserInput, notFound } from '@letstalk/errors';
import { parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { chatMembers } from '../../data/tables.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { MUTED_FOREVER } from '../../data/chat-repository.ts';
import { MAX_MUTE_DAYS } from '../../limits.ts';
import { reloadChat, takeChatChange } from './chat-changes.ts';

/** Sets the viewer's mute of a chat they are a member of (NOT_FOUND otherwise), and answers with the chat. */
async function setMute(context: MessageContext, chatIdInput: string, mutedUntil: Date | null) {
  const viewer = requireViewer(context);
  const chatId = parseUuid(chatIdInput, 'chatId');
  await takeChatChange(context);
  const [result] = await context.db
    .update(chatMembers)
    .set({ mutedUntil })
    .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, viewer.userId)));
  if (result.affectedRows === 0) throw notFound('No such chat.');
  // The viewer's other devices show the change; nobody else's view of the chat changed.
  publishLive(context.services.nc, [viewer.userId], { kind: 'chatUpdated', id: randomUUID(), chatId, change: 'MUTED' });
  return reloadChat(context, chatId);
}

export const muteMutations: MutationResolvers<MessageContext> = {
  muteChat(_parent, { chatId, until }, context) {
    if (until == null) return setMute(context, chatId, MUTED_FOREVER);
    const end = new Date(until);
    if (end.getTime() <= Date.now()) throw badUserInput('A mute ends in the future.', 'until');
    if (end.getTime() > Date.now() + MAX_MUTE_DAYS * 86_400_000)
      throw badUserInput(`A mute ends within ${MAX_MUTE_DAYS} days; leave out until to mute until unmuted.`, 'until');
    return setMute(context, chatId, end);
  },
  unmuteChat: (_parent, { chatId }, context) => setMute(context, chatId, null),
};

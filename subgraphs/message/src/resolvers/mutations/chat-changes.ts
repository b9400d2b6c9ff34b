import { forbidden, notFound } from '@letstalk/errors';
import { retryingRaces } from '@letstalk/db';
import { consumePoint, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { blockersAmong } from '../../data/block-repository.ts';
import { lockChatForMember, type ChatView } from '../../data/chat-repository.ts';
import { unknownUsers } from '../../data/known-users.ts';
import type { MessageTx } from '../../data/tables.ts';
import { writeWithEvents } from './write-with-events.ts';

export function userIds(input: readonly string[], field: string): string[] {
  return [...new Set(input.map((id) => parseUuid(id, field)))];
}

export async function requireAccounts(context: MessageContext, ids: string[]): Promise<void> {
  const missing = await unknownUsers(context.db, ids);
  if (missing.length > 0) throw notFound(`No such user: ${missing.join(', ')}.`);
}

/** Refuses to put people into a group of the viewer's when one of them blocked the viewer. */
export async function refuseBlockers(context: MessageContext, ids: string[]): Promise<void> {
  const blockers = await blockersAmong(context.db, ids, requireViewer(context).userId);
  if (blockers.length > 0) throw forbidden('Someone you named cannot be added by you.');
}

/**
 * Takes one of the viewer's chat changes (CHAT_CHANGES_PER_USER_PER_MINUTE), before any wait for an
 * account or an image, so a wait is never free.
 */
export async function takeChatChange(context: MessageContext): Promise<void> {
  await consumePoint(context.services.chatChangeLimiter, requireViewer(context).userId);
}

/** The chat after a change, as the viewer now sees it (fresh: the request's cache may be stale). */
export async function reloadChat(context: MessageContext, chatId: string): Promise<ChatView> {
  context.loaders.chat.clear(chatId);
  context.loaders.members.clear(chatId);
  const chat = await context.loaders.chat.load(chatId);
  if (!chat) throw notFound('No such chat.');
  return chat;
}

/**
 * Runs a change of a chat under its lock, after checking that the viewer is still a member (NOT_FOUND
 * otherwise); `change` authorizes and writes.
 */
export async function changeGroup(
  context: MessageContext,
  chatIdInput: string,
  change: (tx: MessageTx, chat: ChatView) => Promise<void>,
): Promise<string> {
  const viewer = requireViewer(context);
  const chatId = parseUuid(chatIdInput, 'chatId');
  await writeWithEvents(context, (db) =>
    retryingRaces(() =>
      db.transaction(async (tx) => {
        const locked = await lockChatForMember(tx, chatId, viewer.userId);
        if (!locked) throw notFound('No such chat.');
        await change(tx, {
          ...locked.chat,
          viewerRole: locked.member.role,
          viewerReadSeq: locked.member.readSeq,
          viewerMutedUntil: locked.member.mutedUntil,
        });
      }),
    ),
  );
  return chatId;
}

import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import { findCall, type CallRow } from '../data/call-repository.ts';
import { blockedInDirectChat } from '../data/block-repository.ts';
import type { ChatView, Role } from '../data/chat-repository.ts';
import type { MessageDb, MessageTx } from '../data/tables.ts';

/** A chat the viewer is a member of; NOT_FOUND otherwise, so nobody learns that a chat exists. */
export async function requireChat(context: MessageContext, chatId: string, field = 'chatId'): Promise<ChatView> {
  requireViewer(context);
  const chat = await context.loaders.chat.load(parseUuid(chatId, field));
  if (!chat) throw notFound('No such chat.');
  return chat;
}

/**
 * The chat of something the viewer was already allowed to see (a message, a call). Its absence is a bug,
 * not a client error, so it is an internal error.
 */
export async function chatOf(context: MessageContext, item: { chatId: string }): Promise<ChatView> {
  const chat = await context.loaders.chat.load(item.chatId);
  if (!chat) throw new Error('an item of a chat the viewer cannot see');
  return chat;
}

export const isAdmin = (role: Role) => role === 'OWNER' || role === 'ADMIN';

/**
 * In a direct chat of two people one of whom blocked the other, nothing new reaches either (a message, an edit, a
 * reaction, a pin, a call, typing): FORBIDDEN. Taking something back (deleting, unreacting, unpinning) stays open.
 */
export async function requireNotBlocked(
  db: MessageDb | MessageTx,
  chat: { kind: string; directKey: string | null },
): Promise<void> {
  if (await blockedInDirectChat(db, chat)) throw forbidden('Nothing can be sent in this chat.');
}

/** Membership changes and renames are for groups, by their admins. */
export function requireGroupAdmin(chat: { kind: string }, role: Role): void {
  if (chat.kind !== 'GROUP') throw forbidden('Direct chats have no admins; this works in groups only.');
  if (!isAdmin(role)) throw forbidden('Only the group’s admins can do this.');
}

/** `<chatId>:<callId>`, both UUIDs. */
function parseCallId(value: string): { chatId: string; id: string } {
  const [chatId, id, ...rest] = value.split(':');
  if (rest.length > 0 || !chatId || !id) throw badUserInput('callId is not a valid call id.', 'callId');
  return { chatId: parseUuid(chatId, 'callId'), id: parseUuid(id, 'callId') };
}

/** A call of a chat the viewer is a member of, and the viewer is one of its two people; NOT_FOUND otherwise. */
export async function requireCall(context: MessageContext, callId: string): Promise<CallRow> {
  const viewer = requireViewer(context);
  const { chatId, id } = parseCallId(callId);
  const call = (await context.loaders.chat.load(chatId)) ? await findCall(context.db, chatId, id) : undefined;
  if (!call || (call.callerId !== viewer.userId && call.calleeId !== viewer.userId)) throw notFound('No such call.');
  return call;
}

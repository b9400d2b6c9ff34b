import { forbidden, notFound } from '@letstalk/errors';
import { parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import type { ChatView, Role } from '../data/chat-repository.ts';

export { requireViewer };

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

/** Membership changes and renames are for groups, by their admins. */
export function requireGroupAdmin(chat: { kind: string }, role: Role): void {
  if (chat.kind !== 'GROUP') throw forbidden('Direct chats have no admins; this works in groups only.');
  if (!isAdmin(role)) throw forbidden('Only the group’s admins can do this.');
}

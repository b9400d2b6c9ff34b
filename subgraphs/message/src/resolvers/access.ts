import type { Viewer } from '@letstalk/auth';
import { forbidden, notFound, unauthenticated } from '@letstalk/errors';
import type { MessageContext } from '../context.ts';
import type { ChatView, Role } from '../data/chat-repository.ts';
import { parseUuid } from '../ids.ts';

/** The signed-in viewer, or UNAUTHENTICATED. */
export function requireViewer(context: MessageContext): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

/** A chat the viewer is a member of; NOT_FOUND otherwise, so nobody learns that a chat exists. */
export async function requireChat(context: MessageContext, chatId: string, field = 'chatId'): Promise<ChatView> {
  requireViewer(context);
  const chat = await context.loaders.chat.load(parseUuid(chatId, field));
  if (!chat) throw notFound('No such chat.');
  return chat;
}

export const isAdmin = (role: Role) => role === 'OWNER' || role === 'ADMIN';

/** Membership changes and renames are for groups, by their admins. */
export function requireGroupAdmin(chat: { kind: string }, role: Role): void {
  if (chat.kind !== 'GROUP') throw forbidden('Direct chats have no admins; this works in groups only.');
  if (!isAdmin(role)) throw forbidden('Only the group’s admins can do this.');
}

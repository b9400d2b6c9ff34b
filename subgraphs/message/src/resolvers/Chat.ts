import { messageIdOf } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import type { ChatResolvers } from '../generated/resolvers.ts';
import { MUTED_FOREVER } from '../data/chat-repository.ts';
import { userReference as userRef } from '../ids.ts';
import { messageConnection } from './pagination.ts';

export const Chat: ChatResolvers<MessageContext> = {
  async __resolveReference(reference, context) {
    const chat = await context.loaders.chat.load(reference.id);
    if (!chat) return null;
    // Present when the gateway resolved `name`'s requirement (the counterpart's display name).
    const counterpart = (reference as { counterpart?: { displayName?: string } | null }).counterpart;
    return counterpart?.displayName === undefined ? chat : { ...chat, counterpartDisplayName: counterpart.displayName };
  },
  name: (chat) => (chat.kind === 'GROUP' ? (chat.name ?? '') : (chat.counterpartDisplayName ?? '')),
  async counterpart(chat, _args, context) {
    if (chat.kind !== 'DIRECT') return null;
    const members = await context.loaders.members.load(chat.id);
    const other = members.find((member) => member.userId !== context.viewer?.userId) ?? members[0];
    return other ? userRef(other.userId) : null;
  },
  members: async (chat, _args, context) =>
    (await context.loaders.members.load(chat.id)).map((member) => ({
      user: userRef(member.userId),
      role: member.role,
      joinedAt: member.joinedAt,
    })),
  viewerRole: (chat) => chat.viewerRole,
  muted: (chat) => chat.viewerMutedUntil !== null && chat.viewerMutedUntil.getTime() > Date.now(),
  mutedUntil: (chat) =>
    chat.viewerMutedUntil !== null &&
    chat.viewerMutedUntil.getTime() > Date.now() &&
    chat.viewerMutedUntil.getTime() !== MUTED_FOREVER.getTime()
      ? chat.viewerMutedUntil
      : null,
  lastMessage: (chat, _args, context) => context.loaders.lastMessage.load(chat.id),
  unreadCount: (chat, _args, context) => context.loaders.unreadCount.load(chat.id),
  readMarks: async (chat, _args, context) =>
    (await context.loaders.members.load(chat.id)).map((member) => ({
      user: userRef(member.userId),
      lastReadSeq: member.readSeq,
      lastReadMessageId: member.readSeq > 0 ? messageIdOf({ chatId: chat.id, seq: member.readSeq }) : null,
    })),
  messages: (chat, args, context) => messageConnection(context, chat.id, args),
  activeCall: (chat, _args, context) => context.loaders.activeCall.load(chat.id),
  photo: (chat) => (chat.photoImageId ? { __typename: 'Image', id: chat.photoImageId } : null),
  async pinned(chat, _args, context) {
    const pins = [...(await context.loaders.pins.load(chat.id))].sort(
      (a, b) => b.pinnedAt.getTime() - a.pinnedAt.getTime() || b.seq - a.seq,
    );
    const messages = await Promise.all(pins.map((pin) => context.loaders.messageInChat.load(pin)));
    return pins.flatMap((pin, index) => {
      const message = messages[index];
      return message ? [{ message, pinnedBy: userRef(pin.pinnedBy), pinnedAt: pin.pinnedAt }] : [];
    });
  },
};

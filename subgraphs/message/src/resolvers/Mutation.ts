import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { retryingRaces } from '@letstalk/db';
import { consumePoint, parseMessageId, parseUuid } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import {
  changeMembers,
  createGroupChat,
  findOrCreateDirectChat,
  lockChatForMember,
  membersInTx,
  renameChat,
  setChatPhoto,
  type ChatView,
} from '../data/chat-repository.ts';
import { unknownUsers } from '../data/known-users.ts';
import {
  deleteMessage,
  editMessageText,
  findMessageByClientId,
  lockMessage,
  markRead,
  sendMessage,
} from '../data/message-repository.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import {
  MAX_CHAT_NAME_LENGTH,
  MAX_CLIENT_MESSAGE_ID_LENGTH,
  MAX_GROUP_MEMBERS,
  MAX_MESSAGE_LENGTH,
} from '../limits.ts';
import { signalTyping } from '../live/signals.ts';
import { isOwnImage } from '../data/known-images.ts';
import { formatTextCached } from '../text/format-text.ts';
import { isAdmin, requireChat, requireGroupAdmin, requireViewer } from './access.ts';
import { callMutations } from './calls.ts';
import { writeWithEvents } from './mutations/write-with-events.ts';

/** Trimmed text of 1 to MAX_MESSAGE_LENGTH characters (code points, so an emoji counts once). */
function messageText(input: string, field: string): string {
  const text = input.trim();
  const length = [...text].length;
  if (length === 0) throw badUserInput('The message is empty.', field);
  if (length > MAX_MESSAGE_LENGTH) throw badUserInput(`A message has at most ${MAX_MESSAGE_LENGTH} characters.`, field);
  return text;
}

function chatName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || [...name].length > MAX_CHAT_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    throw badUserInput(`A chat name has 1 to ${MAX_CHAT_NAME_LENGTH} characters and no control characters.`, 'name');
  }
  return name;
}

function userIds(input: readonly string[], field: string): string[] {
  return [...new Set(input.map((id) => parseUuid(id, field)))];
}

async function requireAccounts(context: MessageContext, ids: string[]): Promise<void> {
  const missing = await unknownUsers(context.db, ids);
  if (missing.length > 0) throw notFound(`No such user: ${missing.join(', ')}.`);
}

/**
 * Takes one of the viewer's chat changes (CHAT_CHANGES_PER_USER_PER_MINUTE), before any wait for an
 * account or an image, so a wait is never free.
 */
async function takeChatChange(context: MessageContext): Promise<void> {
  await consumePoint(context.services.chatChangeLimiter, requireViewer(context).userId);
}

/** The chat after a change, as the viewer now sees it (fresh: the request's cache may be stale). */
async function reloadChat(context: MessageContext, chatId: string): Promise<ChatView> {
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
async function changeGroup(
  context: MessageContext,
  chatIdInput: string,
  change: (tx: Parameters<Parameters<MessageContext['db']['transaction']>[0]>[0], chat: ChatView) => Promise<void>,
): Promise<string> {
  const viewer = requireViewer(context);
  const chatId = parseUuid(chatIdInput, 'chatId');
  await writeWithEvents(context, (db) =>
    retryingRaces(() =>
      db.transaction(async (tx) => {
        const locked = await lockChatForMember(tx, chatId, viewer.userId);
        if (!locked) throw notFound('No such chat.');
        await change(tx, { ...locked.chat, viewerRole: locked.member.role, viewerReadSeq: locked.member.readSeq });
      }),
    ),
  );
  return chatId;
}

export const Mutation: MutationResolvers<MessageContext> = {
  async startDirectChat(_parent, args, context) {
    const viewer = requireViewer(context);
    const otherId = parseUuid(args.userId, 'userId');
    await takeChatChange(context);
    await requireAccounts(context, [otherId]);
    const chatId = await writeWithEvents(context, (db) => findOrCreateDirectChat(db, viewer.userId, otherId));
    return reloadChat(context, chatId);
  },

  async createGroupChat(_parent, args, context) {
    const viewer = requireViewer(context);
    const name = chatName(args.name);
    const memberIds = userIds(args.memberIds, 'memberIds').filter((id) => id !== viewer.userId);
    if (memberIds.length + 1 > MAX_GROUP_MEMBERS) {
      throw badUserInput(`A group has at most ${MAX_GROUP_MEMBERS} members.`, 'memberIds');
    }
    await consumePoint(context.services.groupLimiter, viewer.userId);
    if (memberIds.length > 0) await consumePoint(context.services.peopleAddedLimiter, viewer.userId, memberIds.length);
    await requireAccounts(context, memberIds);
    const chatId = await writeWithEvents(context, (db) => createGroupChat(db, viewer.userId, name, memberIds));
    return reloadChat(context, chatId);
  },

  async renameChat(_parent, args, context) {
    const name = chatName(args.name);
    await takeChatChange(context);
    const chatId = await changeGroup(context, args.chatId, async (tx, chat) => {
      requireGroupAdmin(chat, chat.viewerRole);
      await renameChat(tx, chat.id, name, context.viewer!.userId);
    });
    return reloadChat(context, chatId);
  },

  async setChatPhoto(_parent, args, context) {
    const viewer = requireViewer(context);
    const imageId = args.imageId == null ? null : parseUuid(args.imageId, 'imageId');
    await takeChatChange(context);
    // Checked before taking the chat lock: a just-uploaded photo may take a moment to arrive.
    if (imageId && !(await isOwnImage(context.db, viewer.userId, imageId, 'CHAT_PHOTO')))
      throw notFound('No such image.');
    const chatId = await changeGroup(context, args.chatId, async (tx, chat) => {
      requireGroupAdmin(chat, chat.viewerRole);
      await setChatPhoto(tx, chat, imageId, viewer.userId);
    });
    return reloadChat(context, chatId);
  },

  async addChatMembers(_parent, args, context) {
    const ids = userIds(args.userIds, 'userIds');
    if (ids.length === 0) throw badUserInput('Name at least one person to add.', 'userIds');
    if (ids.length >= MAX_GROUP_MEMBERS)
      throw badUserInput(`A group has at most ${MAX_GROUP_MEMBERS} members.`, 'userIds');
    await requireChat(context, args.chatId);
    await takeChatChange(context);
    await consumePoint(context.services.peopleAddedLimiter, context.viewer!.userId, ids.length);
    // Checked before taking the chat lock: a just-created account may take a moment to arrive.
    await requireAccounts(context, ids);
    const chatId = await changeGroup(context, args.chatId, async (tx, chat) => {
      requireGroupAdmin(chat, chat.viewerRole);
      const current = new Set((await membersInTx(tx, chat.id)).map((member) => member.userId));
      const add = ids.filter((id) => !current.has(id));
      if (current.size + add.length > MAX_GROUP_MEMBERS) {
        throw badUserInput(`A group has at most ${MAX_GROUP_MEMBERS} members.`, 'userIds');
      }
      if (add.length === 0) return;
      await changeMembers(tx, chat.id, context.viewer!.userId, { add });
    });
    return reloadChat(context, chatId);
  },

  async removeChatMember(_parent, args, context) {
    const targetId = parseUuid(args.userId, 'userId');
    await takeChatChange(context);
    const chatId = await changeGroup(context, args.chatId, async (tx, chat) => {
      requireGroupAdmin(chat, chat.viewerRole);
      const target = (await membersInTx(tx, chat.id)).find((member) => member.userId === targetId);
      if (!target) throw notFound('That person is not in this chat.');
      if (target.userId === context.viewer!.userId) throw badUserInput('Use leaveChat to leave a chat.', 'userId');
      if (target.role === 'OWNER') throw forbidden('The owner cannot be removed.');
      if (target.role === 'ADMIN' && chat.viewerRole !== 'OWNER') throw forbidden('Only the owner removes an admin.');
      await changeMembers(tx, chat.id, context.viewer!.userId, { remove: [targetId] });
    });
    return reloadChat(context, chatId);
  },

  async setChatMemberRole(_parent, args, context) {
    const targetId = parseUuid(args.userId, 'userId');
    if (args.role === 'OWNER') throw badUserInput('Ownership passes on when the owner leaves.', 'role');
    await takeChatChange(context);
    const chatId = await changeGroup(context, args.chatId, async (tx, chat) => {
      requireGroupAdmin(chat, chat.viewerRole);
      if (chat.viewerRole !== 'OWNER') throw forbidden('Only the owner changes roles.');
      const target = (await membersInTx(tx, chat.id)).find((member) => member.userId === targetId);
      if (!target) throw notFound('That person is not in this chat.');
      if (target.role === 'OWNER') throw badUserInput('The owner’s role does not change.', 'userId');
      if (target.role !== args.role) {
        await changeMembers(tx, chat.id, context.viewer!.userId, { roles: [{ userId: targetId, role: args.role }] });
      }
    });
    return reloadChat(context, chatId);
  },

  async leaveChat(_parent, args, context) {
    const viewerId = requireViewer(context).userId;
    await takeChatChange(context);
    await changeGroup(context, args.chatId, async (tx, chat) => {
      if (chat.kind !== 'GROUP') throw forbidden('A direct chat cannot be left.');
      const others = (await membersInTx(tx, chat.id)).filter((member) => member.userId !== viewerId);
      // The longest-serving admin inherits ownership, else the longest-serving member.
      const heir =
        chat.viewerRole === 'OWNER' ? (others.find((member) => member.role === 'ADMIN') ?? others[0]) : undefined;
      await changeMembers(tx, chat.id, viewerId, {
        remove: [viewerId],
        roles: heir ? [{ userId: heir.userId, role: 'OWNER' }] : [],
      });
    });
    return true;
  },

  async sendMessage(_parent, { input }, context) {
    const viewer = requireViewer(context);
    const chatId = parseUuid(input.chatId, 'chatId');
    const clientMessageId = input.clientMessageId.trim();
    if (clientMessageId.length === 0 || clientMessageId.length > MAX_CLIENT_MESSAGE_ID_LENGTH) {
      throw badUserInput(`clientMessageId has 1 to ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters.`, 'clientMessageId');
    }
    const imageId = input.imageId ? parseUuid(input.imageId, 'imageId') : null;
    const text =
      input.text === null || input.text === undefined || (imageId && input.text.trim() === '')
        ? null
        : messageText(input.text, 'text');
    if (text === null && imageId === null) throw badUserInput('A message needs text or an image.', 'text');

    // A retry of a stored message is answered before the rate limit, so retrying never costs a send.
    const stored = await findMessageByClientId(context.db, chatId, viewer.userId, clientMessageId);
    if (stored && (await context.loaders.chat.load(chatId))) return stored;
    // Taken before any wait below, so an unknown image costs a send like any other.
    await consumePoint(context.services.sendLimiter, viewer.userId);
    // Only the uploader attaches an image (to as many messages as they like); anyone else's is NOT_FOUND.
    if (imageId && !(await isOwnImage(context.db, viewer.userId, imageId, 'MESSAGE'))) throw notFound('No such image.');
    const outcome = await writeWithEvents(
      context,
      (db) =>
        retryingRaces(() =>
          sendMessage(db, {
            chatId,
            senderId: viewer.userId,
            clientMessageId,
            text,
            imageId,
            firstLink: text ? formatTextCached(text).firstLink : null,
          }),
        ),
      (sent) => sent.kind === 'sent',
    );
    if (outcome.kind === 'not-member') throw notFound('No such chat.');
    context.loaders.chat.clear(chatId);
    return outcome.message;
  },

  async editMessage(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    const text = messageText(args.text, 'text');
    await consumePoint(context.services.messageChangeLimiter, viewer.userId);
    return writeWithEvents(context, (db) =>
      db.transaction(async (tx) => {
        const locked = await lockMessage(tx, chatId, seq, viewer.userId);
        if (!locked) throw notFound('No such message.');
        if (locked.message.senderId !== viewer.userId) throw forbidden('Only the sender edits a message.');
        if (locked.message.deletedAt) throw badUserInput('A deleted message cannot be edited.', 'messageId');
        if (locked.message.text === text) return locked.message;
        return editMessageText(tx, locked.message, text, formatTextCached(text).firstLink);
      }),
    );
  },

  async deleteMessage(_parent, args, context) {
    const viewer = requireViewer(context);
    const { chatId, seq } = parseMessageId(args.messageId);
    await consumePoint(context.services.messageChangeLimiter, viewer.userId);
    return writeWithEvents(context, (db) =>
      db.transaction(async (tx) => {
        const locked = await lockMessage(tx, chatId, seq, viewer.userId);
        if (!locked) throw notFound('No such message.');
        const mine = locked.message.senderId === viewer.userId;
        if (!mine && !(locked.chat.kind === 'GROUP' && isAdmin(locked.member.role))) {
          throw forbidden('Only the sender or a group admin deletes a message.');
        }
        if (locked.message.deletedAt) return locked.message;
        return deleteMessage(tx, locked.message, viewer.userId);
      }),
    );
  },

  async markChatRead(_parent, args, context) {
    const viewer = requireViewer(context);
    const chat = await requireChat(context, args.chatId);
    const { chatId, seq } = parseMessageId(args.upToMessageId, 'upToMessageId');
    if (chatId !== chat.id || seq > chat.lastSeq) {
      throw badUserInput('upToMessageId is not a message of this chat.', 'upToMessageId');
    }
    await consumePoint(context.services.readMarkLimiter, viewer.userId);
    await writeWithEvents(
      context,
      (db) => markRead(db, chat.id, viewer.userId, seq),
      (moved) => moved,
    );
    return reloadChat(context, chat.id);
  },
  async setTyping(_parent, { chatId }, context) {
    const viewer = requireViewer(context);
    const chat = await requireChat(context, chatId);
    await consumePoint(context.services.typingLimiter, viewer.userId);
    const members = await context.loaders.members.load(chat.id);
    signalTyping(
      context.services.nc,
      chat.id,
      viewer.userId,
      members.map((member) => member.userId),
    );
    return true;
  },

  startCall: (_parent, { chatId, offer }, context) => callMutations.startCall(context, chatId, offer),
  answerCall: (_parent, { callId, answer }, context) => callMutations.answerCall(context, callId, answer),
  declineCall: (_parent, { callId }, context) => callMutations.declineCall(context, callId),
  endCall: (_parent, { callId }, context) => callMutations.endCall(context, callId),
  sendIceCandidate: (_parent, { callId, candidate }, context) =>
    callMutations.sendIceCandidate(context, callId, candidate),
};

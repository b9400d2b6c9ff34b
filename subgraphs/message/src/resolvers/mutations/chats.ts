import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { consumePoint, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { blockedEitherWay } from '../../data/block-repository.ts';
import { createGroupChat, findOrCreateDirectChat, renameChat, setChatPhoto } from '../../data/chat-repository.ts';
import { isOwnUpload } from '../../data/known-images.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { MAX_CHAT_NAME_LENGTH, MAX_GROUP_MEMBERS } from '../../limits.ts';
import { requireGroupAdmin } from '../access.ts';
import { changeGroup, refuseBlockers, reloadChat, requireAccounts, takeChatChange, userIds } from './chat-changes.ts';
import { writeWithEvents } from './write-with-events.ts';

function chatName(input: string): string {
  const name = input.trim();
  if (name.length === 0 || [...name].length > MAX_CHAT_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    throw badUserInput(`A chat name has 1 to ${MAX_CHAT_NAME_LENGTH} characters and no control characters.`, 'name');
  }
  return name;
}

export const chatMutations: MutationResolvers<MessageContext> = {
  async startDirectChat(_parent, args, context) {
    const viewer = requireViewer(context);
    const otherId = parseUuid(args.userId, 'userId');
    await takeChatChange(context);
    await requireAccounts(context, [otherId]);
    if (otherId !== viewer.userId && (await blockedEitherWay(context.db, viewer.userId, otherId)))
      throw forbidden('You cannot start a chat with this person.');
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
    await refuseBlockers(context, memberIds);
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
    if (imageId && !(await isOwnUpload(context.db, viewer.userId, imageId, 'CHAT_PHOTO')))
      throw notFound('No such image.');
    const chatId = await changeGroup(context, args.chatId, async (tx, chat) => {
      requireGroupAdmin(chat, chat.viewerRole);
      await setChatPhoto(tx, chat, imageId, viewer.userId);
    });
    return reloadChat(context, chatId);
  },
};

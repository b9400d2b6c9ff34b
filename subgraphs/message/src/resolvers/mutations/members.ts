import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { consumePoint, parseUuid, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { changeMembers, membersInTx } from '../../data/chat-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { MAX_GROUP_MEMBERS } from '../../limits.ts';
import { requireChat, requireGroupAdmin } from '../access.ts';
import { changeGroup, refuseBlockers, reloadChat, requireAccounts, takeChatChange, userIds } from './chat-changes.ts';

export const memberMutations: MutationResolvers<MessageContext> = {
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
    await refuseBlockers(context, ids);
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
};

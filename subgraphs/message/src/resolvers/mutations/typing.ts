import { consumePoint, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { signalTyping } from '../../live/signals.ts';
import { requireChat, requireNotBlocked } from '../access.ts';

export const typingMutations: MutationResolvers<MessageContext> = {
  async setTyping(_parent, { chatId }, context) {
    const viewer = requireViewer(context);
    const chat = await requireChat(context, chatId);
    await consumePoint(context.services.typingLimiter, viewer.userId);
    await requireNotBlocked(context.db, chat);
    const members = await context.loaders.members.load(chat.id);
    signalTyping(
      context.services.nc,
      chat.id,
      viewer.userId,
      members.map((member) => member.userId),
    );
    return true;
  },
};

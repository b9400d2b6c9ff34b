import { badUserInput } from '@letstalk/errors';
import { consumePoint, parseMessageId, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { markRead } from '../../data/read-marks.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { requireChat } from '../access.ts';
import { reloadChat } from './chat-changes.ts';
import { writeWithEvents } from './write-with-events.ts';

export const readStateMutations: MutationResolvers<MessageContext> = {
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
};

import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { consumePoint, parseMessageId, requireViewer } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { lockMessage } from '../../data/message-repository.ts';
import { pinMessage, unpinMessage } from '../../data/pin-repository.ts';
import type { MutationResolvers } from '../../generated/resolvers.ts';
import { MAX_PINNED_MESSAGES_PER_CHAT } from '../../limits.ts';
import { isAdmin, requireNotBlocked } from '../access.ts';
import { writeWithEvents } from './write-with-events.ts';

/**
 * Pins or unpins a message: admins of a group, either person of a direct chat. The message is locked with its
 * chat, so the chat's pins are counted under the chat's lock.
 */
async function setPinned(context: MessageContext, messageId: string, pinned: boolean) {
  const viewer = requireViewer(context);
  const { chatId, seq } = parseMessageId(messageId);
  await consumePoint(context.services.chatChangeLimiter, viewer.userId);
  const message = await writeWithEvents(context, (db) =>
    db.transaction(async (tx) => {
      const locked = await lockMessage(tx, chatId, seq, viewer.userId);
      if (!locked) throw notFound('No such message.');
      if (locked.chat.kind === 'GROUP' && !isAdmin(locked.member.role))
        throw forbidden('Only the group’s admins pin messages.');
      if (!pinned) {
        await unpinMessage(tx, locked.message, viewer.userId);
        return locked.message;
      }
      if (locked.message.deletedAt) throw badUserInput('A deleted message cannot be pinned.', 'messageId');
      await requireNotBlocked(tx, locked.chat);
      const outcome = await pinMessage(tx, locked.message, viewer.userId);
      if (outcome === 'full') {
        throw badUserInput(
          `A chat has at most ${MAX_PINNED_MESSAGES_PER_CHAT} pinned messages; unpin one first.`,
          'messageId',
        );
      }
      return locked.message;
    }),
  );
  context.loaders.pins.clear(chatId);
  return message;
}

export const pinMutations: MutationResolvers<MessageContext> = {
  pinMessage: (_parent, args, context) => setPinned(context, args.messageId, true),
  unpinMessage: (_parent, args, context) => setPinned(context, args.messageId, false),
};

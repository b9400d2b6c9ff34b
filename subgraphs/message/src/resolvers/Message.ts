import { messageIdOf } from '@letstalk/server';
import type { MessageContext } from '../context.ts';
import type { MessageResolvers } from '../generated/resolvers.ts';
import { userReference } from '../ids.ts';
import { formatTextCached, quoteExcerpt } from '../text/format-text.ts';
import { chatOf } from './access.ts';

export const Message: MessageResolvers<MessageContext> = {
  __resolveReference: (reference, context) => context.loaders.message.load(reference.id),
  id: (message) => messageIdOf(message),
  chat: (message, _args, context) => chatOf(context, message),
  sender: (message) => userReference(message.senderId),
  body(message) {
    if (message.text === null) return null;
    const { paragraphs, emojiOnly, emojiCount } = formatTextCached(message.text);
    return { paragraphs, emojiOnly, emojiCount };
  },
  firstLink: (message) => (message.text === null ? null : formatTextCached(message.text).firstLink),
  image: (message) => (message.imageId ? { __typename: 'Image', id: message.imageId } : null),
  file: (message) => (message.fileId ? { __typename: 'FileAttachment', id: message.fileId } : null),
  async replyTo(message, _args, context) {
    if (message.replyToSeq === null) return null;
    const original = await context.loaders.messageInChat.load({ chatId: message.chatId, seq: message.replyToSeq });
    if (!original) return null;
    return {
      id: messageIdOf(original),
      sender: userReference(original.senderId),
      excerpt: original.text === null ? null : quoteExcerpt(original.text),
      hasImage: original.imageId !== null,
      hasFile: original.fileId !== null,
      deleted: original.deletedAt !== null,
    };
  },
  async pinned(message, _args, context) {
    const pins = await context.loaders.pins.load(message.chatId);
    return pins.some((pin) => pin.seq === message.seq);
  },
  reactions: (message, _args, context) => context.loaders.reactions.load(messageIdOf(message)),
  async readBy(message, _args, context) {
    const members = await context.loaders.members.load(message.chatId);
    return members
      .filter((member) => member.userId !== message.senderId && member.readSeq >= message.seq)
      .map((member) => userReference(member.userId));
  },
};

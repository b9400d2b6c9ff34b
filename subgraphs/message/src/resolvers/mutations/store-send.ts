import { GraphQLError } from 'graphql';
import { retryingRaces } from '@letstalk/db';
import { badUserInput, forbidden, notFound } from '@letstalk/errors';
import { consumePoint } from '@letstalk/server';
import type { MessageContext } from '../../context.ts';
import { isOwnUpload } from '../../data/known-images.ts';
import { findMessageByClientId, sendMessage, type MessageRow } from '../../data/message-repository.ts';
import { formatTextCached } from '../../text/format-text.ts';
import { writeWithEvents } from './write-with-events.ts';

/**
 * Stores a message the viewer sends (`sendMessage`) or forwards (`forwardMessage`), its input already checked:
 * the send limit, the image's owner (a forwarded image was already shown to the viewer, so it is not theirs to
 * own), the retry key and the reply's original.
 */
export async function storeSend(
  context: MessageContext,
  senderId: string,
  input: {
    chatId: string;
    clientMessageId: string;
    text: string | null;
    imageId: string | null;
    fileId: string | null;
    replyToSeq: number | null;
    forwarded: boolean;
  },
): Promise<MessageRow> {
  const { chatId, clientMessageId, imageId, fileId } = input;
  // Taken before any wait below, so an unknown image costs a send like any other. A retry of a stored message
  // never costs a send: refused, it is answered with the stored message; let through, its point is given back
  // once the transaction finds it stored (one statement fewer for every send than looking it up first).
  const storedRetry = async () => {
    const stored = await findMessageByClientId(context.db, chatId, senderId, clientMessageId);
    return stored && (await context.loaders.chat.load(chatId)) ? stored : undefined;
  };
  try {
    await consumePoint(context.services.sendLimiter, senderId);
  } catch (error) {
    if (!(error instanceof GraphQLError) || error.extensions.code !== 'RATE_LIMITED') throw error;
    const stored = await storedRetry();
    if (stored) return stored;
    throw error;
  }
  // Only the uploader attaches an image or a file (to as many messages as they like); anyone else's is NOT_FOUND.
  // A retry of a message whose upload has since been released (the message deleted) is answered with the message.
  const upload = imageId
    ? ({ id: imageId, purpose: 'MESSAGE', what: 'image' } as const)
    : fileId
      ? ({ id: fileId, purpose: 'FILE', what: 'file' } as const)
      : null;
  if (upload && !input.forwarded && !(await isOwnUpload(context.db, senderId, upload.id, upload.purpose))) {
    const stored = await storedRetry();
    if (!stored) throw notFound(`No such ${upload.what}.`);
    await context.services.sendLimiter.reward(senderId, 1);
    return stored;
  }
  const outcome = await writeWithEvents(
    context,
    (db) =>
      retryingRaces(() =>
        sendMessage(db, {
          ...input,
          senderId,
          firstLink: input.text ? formatTextCached(input.text).firstLink : null,
        }),
      ),
    // Its event is published by id at once (the relay's cheapest path).
    (sent) => (sent.kind === 'sent' ? [sent.eventId] : false),
  );
  if (outcome.kind === 'not-member') throw notFound('No such chat.');
  if (outcome.kind === 'attachment-gone') throw badUserInput('The message was deleted meanwhile.', 'messageId');
  if (outcome.kind === 'blocked') throw forbidden('Nothing can be sent in this chat.');
  if (outcome.kind === 'reply-missing') throw notFound('No such message to reply to.');
  if (outcome.kind === 'reply-deleted') throw badUserInput('A deleted message cannot be replied to.', 'replyToId');
  if (outcome.kind === 'duplicate') await context.services.sendLimiter.reward(senderId, 1);
  context.loaders.chat.clear(chatId);
  return outcome.message;
}

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AddReactionDocument,
  ForwardMessageDocument,
  PinMessageDocument,
  RemoveReactionDocument,
  UnpinMessageDocument,
  type MessageFieldsFragment,
} from './generated/graphql.ts';

type Variables<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];
/** Runs a query or mutation: a {@link Session}'s `request`, or a client's. */
export type Request = <Result, Vars extends Record<string, unknown>>(
  document: TypedDocumentNode<Result, Vars>,
  ...variables: Variables<Vars>
) => Promise<Result>;

/**
 * The chat store's actions on one message: each runs its mutation and hands the message it answers with to
 * `keep` (others see the change as `messageUpdated`).
 */
export function messageActions(
  request: Request,
  keep: (chatId: string, message: MessageFieldsFragment) => void,
  randomUUID: () => string = () => globalThis.crypto.randomUUID(),
) {
  return {
    /** Reacts to a message with an emoji (once per emoji; again changes nothing). */
    async addReaction(chatId: string, messageId: string, emoji: string): Promise<void> {
      keep(chatId, (await request(AddReactionDocument, { messageId, emoji })).addReaction);
    },
    /** Takes one's reaction back. */
    async removeReaction(chatId: string, messageId: string, emoji: string): Promise<void> {
      keep(chatId, (await request(RemoveReactionDocument, { messageId, emoji })).removeReaction);
    },
    /** Pins a message to its chat (group admins, both people of a direct chat). */
    async pin(chatId: string, messageId: string): Promise<void> {
      keep(chatId, (await request(PinMessageDocument, { messageId })).pinMessage);
    },
    async unpin(chatId: string, messageId: string): Promise<void> {
      keep(chatId, (await request(UnpinMessageDocument, { messageId })).unpinMessage);
    },
    /** Sends a copy of a message to another chat of the viewer's (marked `forwarded`); resolves with the copy. */
    async forward(messageId: string, toChatId: string): Promise<MessageFieldsFragment> {
      const variables = { messageId, toChatId, clientMessageId: randomUUID() };
      const { forwardMessage } = await request(ForwardMessageDocument, variables);
      keep(toChatId, forwardMessage);
      return forwardMessage;
    },
  };
}

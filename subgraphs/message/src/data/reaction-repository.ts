import { and, asc, count, eq, exists, or, sql } from 'drizzle-orm';
import { enqueueEvent, messageReacted } from '@letstalk/events';
import { messageIdOf } from '@letstalk/server';
import { MAX_REACTION_EMOJI_PER_MESSAGE } from '../limits.ts';
import type { MessageRow } from './message-repository.ts';
import { chatMembers, messageReactions, messages, type MessageDb, type MessageTx } from './tables.ts';

export type ReactionOutcome =
  | { kind: 'changed' | 'unchanged'; message: MessageRow }
  | { kind: 'not-found' }
  | { kind: 'deleted' }
  | { kind: 'too-many-emoji' };

/**
 * Locks one message of a chat the user is a member of (membership checked in the same statement). Reactions
 * to a message queue on its row, not on the chat's: they never wait for the chat's sends.
 */
async function lockMessageOfMember(tx: MessageTx, chatId: string, seq: number, userId: string) {
  const [message] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.chatId, chatId),
        eq(messages.seq, seq),
        exists(
          tx
            .select({ one: sql`1` })
            .from(chatMembers)
            .where(and(eq(chatMembers.chatId, chatId), eq(chatMembers.userId, userId))),
        ),
      ),
    )
    .for('update');
  return message;
}

const reactionEvent = (message: MessageRow, userId: string, emoji: string, added: boolean) => ({
  chatId: message.chatId,
  messageId: messageIdOf(message),
  seq: message.seq,
  userId,
  emoji,
  added,
  at: new Date().toISOString(),
});

/**
 * Adds `userId`'s reaction with `emoji`, once: a second time changes nothing. A new emoji is refused once the
 * message has MAX_REACTION_EMOJI_PER_MESSAGE distinct ones (the message's row lock makes the count exact).
 */
export function addReaction(
  db: MessageDb,
  input: { chatId: string; seq: number; userId: string; emoji: string },
): Promise<ReactionOutcome> {
  return db.transaction(async (tx) => {
    const message = await lockMessageOfMember(tx, input.chatId, input.seq, input.userId);
    if (!message) return { kind: 'not-found' as const };
    if (message.deletedAt) return { kind: 'deleted' as const };
    const [state] = await tx
      .select({
        distinct: sql<number>`COUNT(DISTINCT ${messageReactions.emoji})`,
        same: sql<number | null>`SUM(${messageReactions.emoji} = ${input.emoji})`,
        mine: sql<
          number | null
        >`SUM(${messageReactions.emoji} = ${input.emoji} AND ${messageReactions.userId} = ${input.userId})`,
      })
      .from(messageReactions)
      .where(and(eq(messageReactions.chatId, input.chatId), eq(messageReactions.seq, input.seq)));
    if (Number(state?.mine ?? 0) > 0) return { kind: 'unchanged' as const, message };
    if (Number(state?.same ?? 0) === 0 && Number(state?.distinct ?? 0) >= MAX_REACTION_EMOJI_PER_MESSAGE) {
      return { kind: 'too-many-emoji' as const };
    }
    await tx.insert(messageReactions).values(input);
    await enqueueEvent(tx, messageReacted, reactionEvent(message, input.userId, input.emoji, true));
    return { kind: 'changed' as const, message };
  });
}

/** Takes `userId`'s reaction with `emoji` back; one that is not there changes nothing. */
export function removeReaction(
  db: MessageDb,
  input: { chatId: string; seq: number; userId: string; emoji: string },
): Promise<{ kind: 'changed' | 'unchanged'; message: MessageRow } | { kind: 'not-found' }> {
  return db.transaction(async (tx) => {
    const message = await lockMessageOfMember(tx, input.chatId, input.seq, input.userId);
    if (!message) return { kind: 'not-found' as const };
    const [result] = await tx
      .delete(messageReactions)
      .where(
        and(
          eq(messageReactions.chatId, input.chatId),
          eq(messageReactions.seq, input.seq),
          eq(messageReactions.emoji, input.emoji),
          eq(messageReactions.userId, input.userId),
        ),
      );
    if (result.affectedRows === 0) return { kind: 'unchanged' as const, message };
    await enqueueEvent(tx, messageReacted, reactionEvent(message, input.userId, input.emoji, false));
    return { kind: 'changed' as const, message };
  });
}

export interface ReactionSummary {
  chatId: string;
  seq: number;
  emoji: string;
  count: number;
  viewerReacted: boolean;
}

const ofMessages = (keys: readonly { chatId: string; seq: number }[]) =>
  or(...keys.map((key) => and(eq(messageReactions.chatId, key.chatId), eq(messageReactions.seq, key.seq))));

/**
 * Every emoji's count on several messages in one statement (one primary-key range per message), each message's
 * in the order the emoji was first used.
 */
export async function summarizeReactions(
  db: MessageDb,
  keys: readonly { chatId: string; seq: number }[],
  viewerId: string,
): Promise<ReactionSummary[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .select({
      chatId: messageReactions.chatId,
      seq: messageReactions.seq,
      emoji: messageReactions.emoji,
      count: count(),
      viewerReacted: sql<number>`MAX(${messageReactions.userId} = ${viewerId})`,
      firstAt: sql<string>`MIN(${messageReactions.createdAt})`,
    })
    .from(messageReactions)
    .where(ofMessages(keys))
    .groupBy(messageReactions.chatId, messageReactions.seq, messageReactions.emoji)
    .orderBy(sql`MIN(${messageReactions.createdAt})`, asc(messageReactions.emoji));
  return rows.map((row) => ({
    chatId: row.chatId,
    seq: row.seq,
    emoji: row.emoji,
    count: Number(row.count),
    viewerReacted: Number(row.viewerReacted) > 0,
  }));
}

/**
 * The first `first` people who reacted with each of several (message, emoji) pairs, earliest first: one statement,
 * ranked within each pair.
 */
export async function findReactors(
  db: MessageDb,
  keys: readonly { chatId: string; seq: number; emoji: string }[],
  first: number,
): Promise<{ chatId: string; seq: number; emoji: string; userId: string }[]> {
  if (keys.length === 0) return [];
  const ranked = db
    .select({
      chatId: messageReactions.chatId,
      seq: messageReactions.seq,
      emoji: messageReactions.emoji,
      userId: messageReactions.userId,
      rank: sql<number>`ROW_NUMBER() OVER (PARTITION BY ${messageReactions.chatId}, ${messageReactions.seq}, ${messageReactions.emoji} ORDER BY ${messageReactions.createdAt}, ${messageReactions.userId})`.as(
        'reaction_rank',
      ),
    })
    .from(messageReactions)
    .where(
      or(
        ...keys.map((key) =>
          and(
            eq(messageReactions.chatId, key.chatId),
            eq(messageReactions.seq, key.seq),
            eq(messageReactions.emoji, key.emoji),
          ),
        ),
      ),
    )
    .as('ranked');
  const rows = await db
    .select({ chatId: ranked.chatId, seq: ranked.seq, emoji: ranked.emoji, userId: ranked.userId })
    .from(ranked)
    .where(sql`${ranked.rank} <= ${first}`)
    .orderBy(ranked.rank);
  return rows;
}

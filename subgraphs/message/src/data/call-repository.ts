import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { MessageDb } from './tables.ts';
import { CALL_RING_TIMEOUT_MS } from '../limits.ts';
import { lockChatForMember } from './chat-repository.ts';
import { calls } from './tables.ts';

export type CallRow = typeof calls.$inferSelect;
export type CallState = CallRow['state'];

/** A call's public id: `<chatId>:<callId>`, so the chat (its shard key) travels with it. */
export const callIdOf = (call: Pick<CallRow, 'chatId' | 'id'>) => `${call.chatId}:${call.id}`;

/** A ringing call nobody answered in time counts as missed, also before the timer that marks it has run. */
export function effectiveState(call: CallRow, now = Date.now()): CallState {
  return call.state === 'RINGING' && call.createdAt.getTime() + CALL_RING_TIMEOUT_MS <= now ? 'MISSED' : call.state;
}

export const isOpen = (call: CallRow) => ['RINGING', 'ACTIVE'].includes(effectiveState(call));

export async function findCall(db: MessageDb, chatId: string, id: string): Promise<CallRow | undefined> {
  const [call] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.chatId, chatId), eq(calls.id, id)));
  return call;
}

/** The ringing or active call of each chat, if any. */
export async function findOpenCalls(db: MessageDb, chatIds: readonly string[]): Promise<CallRow[]> {
  if (chatIds.length === 0) return [];
  const rows = await db
    .select()
    .from(calls)
    .where(and(inArray(calls.chatId, [...chatIds]), inArray(calls.state, ['RINGING', 'ACTIVE'])));
  return rows.filter(isOpen);
}

export type StartCallOutcome = { kind: 'started'; call: CallRow } | { kind: 'busy' } | { kind: 'not-member' };

/**
 * Rings `calleeId` in a direct chat. Under the chat row's lock, so two people calling each other at once
 * get one call and a "busy": a chat has at most one ringing or active call.
 */
export async function startCall(
  db: MessageDb,
  input: { chatId: string; callerId: string; calleeId: string; offer: string },
): Promise<StartCallOutcome> {
  return db.transaction(async (tx) => {
    const locked = await lockChatForMember(tx, input.chatId, input.callerId);
    if (!locked) return { kind: 'not-member' as const };
    const open = await tx
      .select()
      .from(calls)
      .where(and(eq(calls.chatId, input.chatId), inArray(calls.state, ['RINGING', 'ACTIVE'])));
    if (open.some(isOpen)) return { kind: 'busy' as const };
    const call: CallRow = {
      chatId: input.chatId,
      id: randomUUID(),
      callerId: input.callerId,
      calleeId: input.calleeId,
      state: 'RINGING',
      offer: input.offer,
      answer: null,
      createdAt: new Date(),
      answeredAt: null,
      endedAt: null,
    };
    await tx.insert(calls).values(call);
    return { kind: 'started' as const, call };
  });
}

/**
 * Moves a call from one of `from` to `to` (with the answer, or the end time), only if it is still in
 * one of them: concurrent answer and hang-up cannot both win. A ringing call past its time is missed
 * and moves nowhere else. Returns the call as it is afterwards, or undefined when the move did not apply.
 */
export async function moveCall(
  db: MessageDb,
  call: CallRow,
  from: CallState[],
  to: CallState,
  answer?: string,
): Promise<CallRow | undefined> {
  const now = new Date();
  const ringingCutoff = new Date(now.getTime() - CALL_RING_TIMEOUT_MS);
  const ended = to === 'ACTIVE' ? {} : { endedAt: now };
  const [result] = await db
    .update(calls)
    .set({ state: to, ...(to === 'ACTIVE' ? { answer: answer ?? null, answeredAt: now } : {}), ...ended })
    .where(
      and(
        eq(calls.chatId, call.chatId),
        eq(calls.id, call.id),
        inArray(calls.state, from),
        // A ringing call only moves while it is still ringing in time (MISSED itself excepted).
        to === 'MISSED' ? sql`1 = 1` : sql`NOT (${calls.state} = 'RINGING' AND ${calls.createdAt} <= ${ringingCutoff})`,
      ),
    );
  if (result.affectedRows === 0) return undefined;
  return findCall(db, call.chatId, call.id);
}

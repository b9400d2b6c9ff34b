import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { publishLive, type CallEventKind } from '@letstalk/events';
import { callIdOf, type CallRow } from '../data/call-repository.ts';
import { TYPING_EXPIRES_MS } from '../limits.ts';

/*
 * Live signals that are never stored (typing, call signalling) go straight to the people concerned;
 * stored changes reach them through the outbox and the fan-out (fan-out.ts).
 */

/** Tells the other members of a chat that `userId` is typing, for {@link TYPING_EXPIRES_MS}. */
export function signalTyping(nc: NatsConnection, chatId: string, userId: string, memberIds: readonly string[]): void {
  const others = memberIds.filter((memberId) => memberId !== userId);
  const expiresAt = new Date(Date.now() + TYPING_EXPIRES_MS).toISOString();
  publishLive(nc, others, { kind: 'typing', id: randomUUID(), chatId, userId, expiresAt });
}

/** Tells both people (or, for a candidate, the other one) of a call what happened. */
export function signalCall(
  nc: NatsConnection,
  call: CallRow,
  event: CallEventKind,
  options: { to?: string; candidate?: string } = {},
): void {
  publishLive(nc, options.to ? [options.to] : [call.callerId, call.calleeId], {
    kind: 'call',
    id: randomUUID(),
    chatId: call.chatId,
    callId: callIdOf(call),
    event,
    candidate: options.candidate ?? null,
  });
}

import type { ChaosSession } from './session.ts';

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** When, after a heal, each part of the run was well again (milliseconds from the heal; undefined: not in time). */
export interface Recovery {
  /** Every process of the stack, NATS and MariaDB answered as ready; the last of them to. */
  readyMs?: number;
  lastReady?: string;
  /** Every chat had a send answered after the heal (when the last of those answers came). */
  sendsMs?: number;
  /** Every subscriber had received a message sent after the heal (when the last of them first had one). */
  deliveriesMs?: number;
  /** The whole of it: the last of the three. */
  totalMs?: number;
}

/** The processes not ready yet, by name. */
async function unready(session: ChaosSession): Promise<string[]> {
  const targets = [...session.stack.targets.values()];
  const ready = await Promise.all(targets.map((target) => target.isReady()));
  return targets.filter((_, index) => !ready[index]).map((target) => target.name);
}

/** Per chat, the first send answered after `healedAt`: its seq and when it was answered. */
function firstAnswersAfter(session: ChaosSession, healedAt: number): Map<string, { seq: number; at: number }> {
  const first = new Map<string, { seq: number; at: number }>();
  for (const send of session.load.sends) {
    if (send.answeredAt === undefined || send.answeredAt < healedAt || send.seq === undefined) continue;
    const known = first.get(send.chatId);
    if (!known || send.seq < known.seq) first.set(send.chatId, { seq: send.seq, at: send.answeredAt });
  }
  return first;
}

/**
 * The longest time within `[from, to]` in which no send was answered, in any chat (from `from` to the first
 * answer, between two answers, from the last to `to`): how long the fault interrupted the service.
 */
export function longestPause(session: ChaosSession, from: number, to: number): number {
  const times = session.load.sends
    .flatMap((send) =>
      send.answeredAt !== undefined && send.answeredAt >= from && send.answeredAt <= to ? [send.answeredAt] : [],
    )
    .sort((a, b) => a - b);
  let longest = 0;
  let last = from;
  for (const time of [...times, to]) {
    longest = Math.max(longest, time - last);
    last = time;
  }
  return longest;
}

/**
 * Waits until every process is ready, sends are answered again in every chat, and every subscriber has
 * received a message sent after the heal, or `timeoutMs`; says when each happened.
 */
export async function waitForRecovery(session: ChaosSession, healedAt: number, timeoutMs: number): Promise<Recovery> {
  const recovery: Recovery = {};
  const since = () => Date.now() - healedAt;
  while (since() < timeoutMs) {
    if (recovery.readyMs === undefined) {
      const waiting = await unready(session);
      if (waiting.length === 0) recovery.readyMs = since();
      else recovery.lastReady = waiting.join(', ');
    }
    const firstAnswers = firstAnswersAfter(session, healedAt);
    if (recovery.sendsMs === undefined && session.chats.every((chat) => firstAnswers.has(chat.id))) {
      recovery.sendsMs = Math.max(...[...firstAnswers.values()].map((answer) => answer.at)) - healedAt;
    }
    const caughtUp = session.live.subscribers.every(
      (subscriber) => subscriber.log.lastSeq >= (firstAnswers.get(subscriber.chatId)?.seq ?? Infinity),
    );
    if (recovery.deliveriesMs === undefined && caughtUp) {
      // When the last of them had it (a message may arrive before its send's answer, hence at least 0).
      const reached = session.live.subscribers.map(
        (subscriber) => subscriber.log.reachedAt(firstAnswers.get(subscriber.chatId)!.seq) ?? Date.now(),
      );
      recovery.deliveriesMs = Math.max(healedAt, ...reached) - healedAt;
    }
    if (recovery.readyMs !== undefined && recovery.deliveriesMs !== undefined) {
      return { ...recovery, totalMs: Math.max(recovery.readyMs, recovery.deliveriesMs) };
    }
    await sleep(250);
  }
  return recovery;
}

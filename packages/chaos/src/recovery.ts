import type { ChaosSession } from './session.ts';

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** When, after a heal, each part of the run was well again (milliseconds from the heal; undefined: not in time). */
export interface Recovery {
  /** Every process of the stack, NATS and MariaDB answered as ready; the last of them to. */
  readyMs?: number;
  lastReady?: string;
  /** Every chat had a send answered after the heal. */
  sendsMs?: number;
  /** Every subscriber had received a message sent after the heal. */
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

/** Per chat, the first seq answered after `healedAt`. */
function firstSeqsAfter(session: ChaosSession, healedAt: number): Map<string, number> {
  const first = new Map<string, number>();
  for (const send of session.load.sends) {
    if (send.answeredAt === undefined || send.answeredAt < healedAt || send.seq === undefined) continue;
    first.set(send.chatId, Math.min(first.get(send.chatId) ?? Infinity, send.seq));
  }
  return first;
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
    const firstSeqs = firstSeqsAfter(session, healedAt);
    if (recovery.sendsMs === undefined && session.chats.every((chat) => firstSeqs.has(chat.id))) {
      recovery.sendsMs = since();
    }
    const caughtUp = session.live.subscribers.every(
      (subscriber) => subscriber.log.lastSeq >= (firstSeqs.get(subscriber.chatId) ?? Infinity),
    );
    if (recovery.deliveriesMs === undefined && caughtUp) recovery.deliveriesMs = since();
    if (recovery.readyMs !== undefined && recovery.deliveriesMs !== undefined) {
      return { ...recovery, totalMs: Math.max(recovery.readyMs, recovery.deliveriesMs) };
    }
    await sleep(250);
  }
  return recovery;
}

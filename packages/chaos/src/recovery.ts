import type { ChaosSession } from './session.ts';

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** Every process of the stack, NATS and MariaDB answer as ready. */
async function everyProcessReady(session: ChaosSession): Promise<boolean> {
  const ready = await Promise.all([...session.stack.targets.values()].map((target) => target.isReady()));
  return ready.every(Boolean);
}

/**
 * Every subscriber has a message of its chat that was answered after `healedAt`: sends go through again and
 * deliveries have caught up with them.
 */
function deliveriesCaughtUp(session: ChaosSession, healedAt: number): boolean {
  const firstSeqAfter = new Map<string, number>();
  for (const send of session.load.sends) {
    if (send.answeredAt === undefined || send.answeredAt < healedAt || send.seq === undefined) continue;
    firstSeqAfter.set(send.chatId, Math.min(firstSeqAfter.get(send.chatId) ?? Infinity, send.seq));
  }
  return session.live.subscribers.every((subscriber) => {
    const seq = firstSeqAfter.get(subscriber.chatId);
    return seq !== undefined && subscriber.log.lastSeq >= seq;
  });
}

/**
 * Milliseconds from `healedAt` until every process is ready and every subscriber has received a message sent
 * after the heal; undefined when that has not happened within `timeoutMs`.
 */
export async function waitForRecovery(
  session: ChaosSession,
  healedAt: number,
  timeoutMs: number,
): Promise<number | undefined> {
  while (Date.now() - healedAt < timeoutMs) {
    if (deliveriesCaughtUp(session, healedAt) && (await everyProcessReady(session))) return Date.now() - healedAt;
    await sleep(250);
  }
  return undefined;
}

import { listDeadLetters, type DeadLetter } from '@letstalk/events';
import type { ChaosSession } from './session.ts';
import { jobStates, storedMessages, type StoredMessage } from './stored-state.ts';
import { checkWorkDoneOnce, type WorkDoneTwice } from './work-once.ts';

/** How long subscribers get to receive what was stored when a check began. */
const CATCH_UP_TIMEOUT_MS = 60_000;
/** Examples of each kind of problem kept for the report. */
const EXAMPLES = 5;

/** What a check found, counted from the start of the run (a fault's share is the difference from the check before). */
export interface CheckResult extends WorkDoneTwice {
  /** Sends answered before the check began. */
  answered: number;
  /** Messages in the message database. */
  stored: number;
  /** Answered sends that are not stored (or stored under another seq than the answer gave). */
  lost: number;
  /** `clientMessageId`s stored more than once, and stored messages no sender sent. */
  storedTwice: number;
  strays: number;
  /** Deliveries to subscribers, duplicates included. */
  delivered: number;
  deliveredTwice: number;
  /** Stored messages a subscriber never received, and ones received after a later one. */
  gaps: number;
  outOfOrder: number;
  /** Payloads without a message (`{ data: null, errors }`). */
  errorPayloads: number;
  /** Link previews and images not READY or FAILED once the check's grace had passed, and those FAILED. */
  unsettled: number;
  failedJobs: number;
  deadLetters: DeadLetter[];
  /** What each problem looked like, for the report. */
  examples: string[];
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const keyOf = (chatId: string, clientMessageId: string) => `${chatId}/${clientMessageId}`;

/** Answered sends against the message database: each stored exactly once, at the seq its answer gave. */
function checkSends(session: ChaosSession, stored: StoredMessage[], before: number, examples: string[]) {
  const rows = new Map<string, StoredMessage[]>();
  for (const message of stored) {
    const key = keyOf(message.chatId, message.clientMessageId);
    const found = rows.get(key) ?? [];
    found.push(message);
    rows.set(key, found);
  }
  const sent = new Set(session.load.sends.map((send) => keyOf(send.chatId, send.clientMessageId)));
  let answered = 0;
  let lost = 0;
  for (const send of session.load.sends) {
    if (send.answeredAt === undefined || send.answeredAt > before) continue;
    answered += 1;
    const found = rows.get(keyOf(send.chatId, send.clientMessageId)) ?? [];
    if (found.length === 0 || !found.some((row) => row.seq === send.seq)) {
      lost += 1;
      if (examples.length < EXAMPLES) {
        examples.push(
          `lost: ${send.kind} ${send.clientMessageId} answered seq ${send.seq}, stored ${JSON.stringify(found)}`,
        );
      }
    }
  }
  const storedTwice = [...rows.values()].filter((found) => found.length > 1).length;
  const strays = [...rows.keys()].filter((key) => !sent.has(key)).length;
  return { answered, lost, storedTwice, strays };
}

/** Waits until every subscriber has reached its chat's last stored seq, or the catch-up timeout. */
async function catchUp(session: ChaosSession, storedSeqs: Map<string, number[]>): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  const behind = () =>
    session.live.subscribers.some(
      (subscriber) => subscriber.log.lastSeq < (storedSeqs.get(subscriber.chatId)?.at(-1) ?? 0),
    );
  while (behind() && Date.now() < deadline) await sleep(250);
}

/** Every stored message reached every subscriber of its chat once and in order. */
function checkDeliveries(session: ChaosSession, storedSeqs: Map<string, number[]>, examples: string[]) {
  const totals = { delivered: 0, deliveredTwice: 0, gaps: 0, outOfOrder: 0, errorPayloads: 0 };
  for (const subscriber of session.live.subscribers) {
    const { log } = subscriber;
    const stored = storedSeqs.get(subscriber.chatId) ?? [];
    const missing = log.missing(stored).length;
    totals.delivered += log.received;
    totals.deliveredTwice += log.duplicates;
    totals.gaps += missing;
    totals.outOfOrder += log.outOfOrder;
    totals.errorPayloads += log.errorPayloads;
    if (missing > 0 && examples.length < EXAMPLES) {
      examples.push(
        `gap: ${subscriber.person.userId} missed ${missing} of chat ${subscriber.chatId} (first ${log.missing(stored).slice(0, 5).join(', ')}; ` +
          `at ${log.lastSeq} of ${stored.at(-1) ?? 0}; ${subscriber.resubscriptions} resubscriptions; last end: ${subscriber.lastEnd ?? '-'}; ` +
          `last error payload: ${subscriber.lastErrorPayload ?? '-'})`,
      );
    }
  }
  return totals;
}

/**
 * Link previews and images of messages answered before the check, and images of any kind created before it:
 * each must be READY or FAILED within the grace (jobs started just before the check may still run).
 */
async function checkJobs(session: ChaosSession, before: number, graceMs: number, examples: string[]) {
  const links = session.load.sends.filter(
    (send) => send.link && send.answeredAt !== undefined && send.answeredAt <= before,
  );
  const uploads = session.load.uploads.filter((upload) => upload.uploadedAt <= before);
  const deadline = Date.now() + graceMs;
  for (;;) {
    const states = await jobStates(session.stack, new Date(before));
    const linkStates = links.map((send) => states.previews.get(new URL(send.link!).href) ?? 'MISSING');
    const pendingLinks = linkStates.filter((state) => state !== 'READY' && state !== 'FAILED').length;
    const unsettled = pendingLinks + states.processingBefore;
    const failedJobs =
      linkStates.filter((state) => state === 'FAILED').length +
      uploads.filter((upload) => states.images.get(upload.imageId) === 'FAILED').length;
    if (unsettled === 0 || Date.now() > deadline) {
      if (unsettled > 0) {
        examples.push(
          `unsettled: ${pendingLinks} link previews (${[...new Set(linkStates)].join('/')}), ${states.processingBefore} images PROCESSING`,
        );
      }
      return { unsettled, failedJobs };
    }
    await sleep(1_000);
  }
}

/**
 * Checks the run so far from the databases and the clients' logs: answered sends stored exactly once; every
 * message stored when the check began delivered to every subscriber of its chat exactly once and in order
 * (after giving them time to catch up); link previews and images settled, each link and image fetched once
 * unless a fault redelivered its event, each image finished once; no dead letter.
 */
export async function checkRun(session: ChaosSession, jobGraceMs: number): Promise<CheckResult> {
  const before = Date.now();
  const examples: string[] = [];
  const stored = await storedMessages(
    session.stack,
    session.chats.map((chat) => chat.id),
  );
  const storedSeqs = new Map<string, number[]>();
  for (const message of stored) {
    const seqs = storedSeqs.get(message.chatId) ?? [];
    seqs.push(message.seq);
    storedSeqs.set(message.chatId, seqs);
  }
  for (const [chatId, seqs] of storedSeqs) {
    seqs.sort((a, b) => a - b);
    // Seqs are given under the chat row's lock in the send transaction: the stored ones never skip a number.
    const holes = seqs.at(-1)! - seqs.length;
    if (holes > 0) examples.push(`seq holes: chat ${chatId} has ${seqs.length} messages up to seq ${seqs.at(-1)}`);
  }
  const sends = checkSends(session, stored, before, examples);
  await catchUp(session, storedSeqs);
  const deliveries = checkDeliveries(session, storedSeqs, examples);
  const jobs = await checkJobs(session, before, jobGraceMs, examples);
  const work = await checkWorkDoneOnce(session, before, examples);
  const deadLetters = await listDeadLetters(session.nc);
  for (const letter of deadLetters.slice(0, EXAMPLES)) {
    examples.push(`dead letter ${letter.seq}: ${letter.subject} by ${letter.durable ?? '?'}: ${letter.reason}`);
  }
  return { ...sends, stored: stored.length, ...deliveries, ...jobs, ...work, deadLetters, examples };
}

import { randomUUID } from 'node:crypto';
import { LetsTalkError, SendMessageDocument, UploadImageDocument } from '@letstalk/sdk';
import { noiseJpeg } from '@letstalk/testing';
import type { LoadOptions } from './options.ts';
import type { ChaosChat, Person } from './population.ts';
import type { WebFront } from './web-front.ts';

/** Back-off between two tries of the same send (or upload): doubling from the first, capped. */
const RETRY_FIRST_DELAY_MS = 250;
const RETRY_MAX_DELAY_MS = 2_000;
/** After the load is stopped, sends still unanswered get this long to be answered. */
const DRAIN_TIMEOUT_MS = 120_000;
/** Side of the uploaded images (random pixels, so each upload is an image of its own). */
const IMAGE_SIDE = 64;

type MessageKind = 'text' | 'link' | 'image';

/** One message a sender meant to send, and what became of it. */
interface SendRecord {
  chatId: string;
  senderId: string;
  clientMessageId: string;
  kind: MessageKind;
  firstAttemptAt: number;
  attempts: number;
  answeredAt?: number;
  /** The seq the answer gave. */
  seq?: number;
  lastError?: string;
  /** The linked page (a link message). */
  link?: string;
  /** The uploaded image (an image message). */
  imageId?: string;
}

/** An uploaded image: it must end READY or FAILED, attached or not. */
interface UploadRecord {
  imageId: string;
  uploadedAt: number;
}

export interface SendLoad {
  sends: SendRecord[];
  uploads: UploadRecord[];
  /** When the send with this `clientMessageId` was first tried (latency is measured from there). */
  sentAt: (clientMessageId: string) => number | undefined;
  /** Resolves when the next send is answered (a fault that must strike while the relay publishes waits for it). */
  nextAnswer: () => Promise<SendRecord>;
  /** Stops starting sends, and resolves once every started send is answered (or the drain timed out). */
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const retryDelay = (attempt: number) => Math.min(RETRY_MAX_DELAY_MS, RETRY_FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
const errorText = (error: unknown) =>
  error instanceof LetsTalkError ? (error.code ?? error.message) : (error as Error).message;

/**
 * The steady load: each sender sends at `messagesPerSecond / senders` in its chat, a mix of plain text, text
 * with a link to a page of the fake web (a page of its own, so each is fetched), and images uploaded first.
 * A send that fails or gets no answer is tried again with the same `clientMessageId` until answered, each try
 * through the next gateway (as a load balancer would route it); an upload likewise, as a new upload.
 */
export function startSendLoad(chats: ChaosChat[], web: Pick<WebFront, 'page'>, load: LoadOptions): SendLoad {
  const sends: SendRecord[] = [];
  const byClientMessageId = new Map<string, SendRecord>();
  const uploads: UploadRecord[] = [];
  const waiters: ((record: SendRecord) => void)[] = [];
  let stopping = false;
  let drainDeadline = Infinity;
  const giveUp = () => stopping && Date.now() > drainDeadline;

  async function untilDone<Result>(
    person: Person,
    home: number,
    task: (client: Person['clients'][number]) => Promise<Result>,
    onError: (error: unknown) => void,
  ): Promise<Result | undefined> {
    for (let attempt = 0; !giveUp(); attempt += 1) {
      try {
        return await task(person.clients[(home + attempt) % person.clients.length]!);
      } catch (error) {
        onError(error);
        await sleep(retryDelay(attempt));
      }
    }
    return undefined;
  }

  const pickKind = (): MessageKind => {
    const draw = Math.random();
    if (draw < load.imageShare) return 'image';
    return draw < load.imageShare + load.linkShare ? 'link' : 'text';
  };

  async function sendOne(person: Person, chatId: string, home: number, count: number) {
    const record: SendRecord = {
      chatId,
      senderId: person.userId,
      clientMessageId: randomUUID(),
      kind: pickKind(),
      firstAttemptAt: Date.now(),
      attempts: 0,
    };
    sends.push(record);
    byClientMessageId.set(record.clientMessageId, record);
    const failed = (error: unknown) => {
      record.attempts += 1;
      record.lastError = errorText(error);
    };
    if (record.kind === 'image') {
      const file = new Blob([await noiseJpeg(IMAGE_SIDE)], { type: 'image/jpeg' });
      const image = await untilDone(person, home, (client) => client.upload(UploadImageDocument, { file }), failed);
      if (!image) return;
      record.imageId = image.uploadImage.id;
      uploads.push({ imageId: record.imageId, uploadedAt: Date.now() });
    }
    if (record.kind === 'link') record.link = web.page('/og');
    const text = record.kind === 'link' ? `Look at ${record.link}` : `message ${count} of ${person.userId.slice(0, 8)}`;
    const input = {
      chatId,
      clientMessageId: record.clientMessageId,
      text,
      ...(record.imageId ? { imageId: record.imageId } : {}),
    };
    const answer = await untilDone(person, home, (client) => client.request(SendMessageDocument, { input }), failed);
    if (!answer) return;
    record.attempts += 1;
    record.answeredAt = Date.now();
    record.seq = answer.sendMessage.seq;
    for (const waiter of waiters.splice(0)) waiter(record);
  }

  const intervalMs = (1000 * load.senders) / load.messagesPerSecond;
  const loops = chats.flatMap((chat) =>
    chat.senders.map(async (person, index) => {
      const home = index % person.clients.length;
      // Senders start spread over one interval, so the rate is steady rather than in bursts.
      let next = Date.now() + Math.random() * intervalMs;
      for (let count = 1; !stopping; count += 1) {
        await sleep(Math.max(0, next - Date.now()));
        if (stopping) break;
        // A sender held up by retries skips the ticks it missed rather than bursting.
        next = Math.max(next + intervalMs, Date.now());
        await sendOne(person, chat.id, home, count);
      }
    }),
  );

  return {
    sends,
    uploads,
    sentAt: (clientMessageId) => byClientMessageId.get(clientMessageId)?.firstAttemptAt,
    nextAnswer: () => new Promise((resolve) => waiters.push(resolve)),
    stop: async () => {
      stopping = true;
      drainDeadline = Date.now() + DRAIN_TIMEOUT_MS;
      await Promise.all(loops);
    },
  };
}

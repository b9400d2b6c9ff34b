/** Chats one `messageAdded(since:)` may resume at once (the gateway's MAX_RESUME_CHATS). */
const MAX_RESUME_CHATS = 100;

/** What to do with a message that arrived live. */
export type Verdict = 'deliver' | 'duplicate' | 'gap';

/**
 * The last message delivered per chat (its `seq`), so a subscription resumes where the app is: `after` for
 * one chat, `since` (message ids `<chatId>:<seq>`) for all of them. A message at or before the cursor is a
 * duplicate; one past a hole is a gap, to be filled by resuming from the cursor, unless that resume
 * brought the same message first again (then the hole is real and the message is delivered).
 */
export class ResumeCursors {
  private readonly last = new Map<string, number>();
  private readonly gaps = new Map<string, number>();

  constructor(initial: Record<string, number> = {}) {
    for (const [chatId, seq] of Object.entries(initial)) this.last.set(chatId, seq);
  }

  check(chatId: string, seq: number): Verdict {
    const last = this.last.get(chatId);
    if (last === undefined) return 'deliver';
    if (seq <= last) return 'duplicate';
    if (seq === last + 1 || this.gaps.get(chatId) === seq) return 'deliver';
    this.gaps.set(chatId, seq);
    return 'gap';
  }

  delivered(chatId: string, seq: number): void {
    // Most recently active chats last, so `since` keeps the newest when there are too many.
    this.last.delete(chatId);
    this.last.set(chatId, seq);
    this.gaps.delete(chatId);
  }

  /** The `after` cursor of one chat; undefined when nothing was delivered nor given. */
  after(chatId: string): string | undefined {
    const seq = this.last.get(chatId);
    return seq === undefined ? undefined : String(seq);
  }

  /** The `since` list: the last message id of each chat (the most recently active 100). */
  since(): string[] {
    return [...this.last].slice(-MAX_RESUME_CHATS).map(([chatId, seq]) => `${chatId}:${seq}`);
  }

  /** Chat id → last delivered seq. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.last);
  }
}

/**
 * Exponential back-off with jitter: attempt 0 waits about `baseMs` (half to all of it), doubling up to `maxMs`.
 * @public
 */
export interface Backoff {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, backoff: Backoff = {}): number {
  const ceiling = Math.min(backoff.maxMs ?? 30_000, (backoff.baseMs ?? 500) * 2 ** attempt);
  return ceiling / 2 + ((backoff.random ?? Math.random)() * ceiling) / 2;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A graphql-ws close event (the socket closed), as opposed to errors ending one operation. */
export const isCloseEvent = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'number';

/** The `extensions.code` (and `reason`) of the errors that ended an operation. */
export function endOf(value: unknown): { code?: string; reason?: string } | undefined {
  if (!Array.isArray(value)) return undefined;
  const extensions = (value[0] as { extensions?: { code?: unknown; reason?: unknown } } | undefined)?.extensions;
  return {
    ...(typeof extensions?.code === 'string' ? { code: extensions.code } : {}),
    ...(typeof extensions?.reason === 'string' ? { reason: extensions.reason } : {}),
  };
}

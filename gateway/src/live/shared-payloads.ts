import { print, type DocumentNode, type ExecutionResult } from 'graphql';

/** How long a payload shared between the subscribers of one event is kept for latecomers. */
const SHARED_PAYLOAD_TTL_MS = 10_000;

/** A payload and its JSON, made once and written to every subscriber it is shared with. */
export interface Payload {
  result: ExecutionResult;
  json: string;
  /** It holds values of its maker's alone (see viewerDependentKeys): nobody else may be sent it. */
  viewerSpecific: boolean;
}

/**
 * A payload being made for the subscribers of one event. They wait for it together: when it is made,
 * every waiter runs in one synchronous loop (thousands of subscribers cost a loop, not a microtask each).
 */
export class SharedPayload {
  value: Payload | undefined;
  error: unknown;
  failed = false;
  private waiters: (() => void)[] | undefined = [];

  /** `madeBy`: the viewer whose authorization the payload was made with. */
  constructor(
    made: Promise<Payload>,
    readonly madeBy: string,
  ) {
    made.then(
      (value) => {
        this.value = value;
        this.settle();
      },
      (error: unknown) => {
        this.failed = true;
        this.error = error;
        this.settle();
      },
    );
  }

  get settled(): boolean {
    return this.waiters === undefined;
  }

  /** Calls `then` once the payload is made (at once when it is). */
  wait(then: () => void): void {
    if (this.waiters) this.waiters.push(then);
    else then();
  }

  private settle(): void {
    const waiters = this.waiters ?? [];
    this.waiters = undefined;
    for (const then of waiters) then();
  }
}

/** One payload per (event, operation), or per (event, operation, viewer) when asked for. */
export class SharedPayloads {
  private readonly payloads = new Map<string, SharedPayload>();
  /**
   * The operations of running subscriptions (document, name and the values of the variables it declares)
   * by a short number, so a payload key is cheap to build and hash; an entry lives as long as a
   * subscription uses it. Numbers are never reused: a payload made for an operation that ended can
   * never be served to a new one.
   */
  private readonly operations = new Map<string, { key: number; users: number }>();
  private nextKey = 0;

  /** The key of an operation, held until the returned `release` is called (once). */
  acquire(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
  ): { key: number; release: () => void } {
    const text = `${print(document)}\n${operationName ?? ''}\n${JSON.stringify(variables)}`;
    let entry = this.operations.get(text);
    if (!entry) {
      entry = { key: this.nextKey++, users: 0 };
      this.operations.set(text, entry);
    }
    entry.users += 1;
    const held = entry;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0 && this.operations.get(text) === held) this.operations.delete(text);
    };
    return { key: held.key, release };
  }

  /** Operations in use by running subscriptions. */
  get operationCount(): number {
    return this.operations.size;
  }

  get(
    key: string,
    madeBy: string,
    make: () => Promise<ExecutionResult>,
    isViewerSpecific: (result: ExecutionResult) => boolean = () => false,
  ): SharedPayload {
    let payload = this.payloads.get(key);
    if (!payload) {
      payload = new SharedPayload(
        make().then((result) => ({ result, json: JSON.stringify(result), viewerSpecific: isViewerSpecific(result) })),
        madeBy,
      );
      this.payloads.set(key, payload);
      setTimeout(() => this.payloads.delete(key), SHARED_PAYLOAD_TTL_MS).unref();
    }
    return payload;
  }
}

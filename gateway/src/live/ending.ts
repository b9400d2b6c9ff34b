/**
 * The end of one subscription: it comes once, with or without an error; the clean-ups registered until
 * then run at that moment (last registered first), and `finished` settles with the outcome.
 */
export class Ending {
  readonly finished: Promise<void>;
  private done = false;
  private readonly cleanups: (() => void)[] = [];
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor() {
    this.finished = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    // Handled by whoever waits for it; this keeps an early failure from counting as unhandled.
    this.finished.catch(() => {});
  }

  get ended(): boolean {
    return this.done;
  }

  /** Runs `cleanup` when the subscription ends (at once when it has). */
  onEnd(cleanup: () => void): void {
    if (this.done) cleanup();
    else this.cleanups.push(cleanup);
  }

  /** Ends the subscription: `error` is what it fails with; none completes it. Later calls do nothing. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    for (const cleanup of this.cleanups.reverse()) cleanup();
    if (error === undefined) this.settle.resolve();
    else this.settle.reject(error);
  }
}

/** Seqs a log makes room for at first; it doubles as a chat grows. */
const INITIAL_CAPACITY = 1024;

/**
 * What one subscriber received of one chat: how often each seq arrived and when it first did, so that a check can
 * count the messages it never got (gaps), got more than once (duplicates) or got after a later one (out of order),
 * and a recovery say when deliveries came again.
 */
export class DeliveryLog {
  private counts = new Uint16Array(INITIAL_CAPACITY);
  private arrivals = new Float64Array(INITIAL_CAPACITY);
  /** The highest seq received: where a resumed subscription continues (`after`). */
  lastSeq = 0;
  /** Every delivery, duplicates included. */
  received = 0;
  duplicates = 0;
  outOfOrder = 0;
  /** Payloads that came without a message (`{ data: null, errors }`): what they were for is unknown. */
  errorPayloads = 0;

  receive(seq: number, at = Date.now()): void {
    if (seq >= this.counts.length) {
      const length = Math.max(this.counts.length * 2, seq + 1);
      const grown = new Uint16Array(length);
      grown.set(this.counts);
      this.counts = grown;
      const arrivals = new Float64Array(length);
      arrivals.set(this.arrivals);
      this.arrivals = arrivals;
    }
    this.received += 1;
    if (this.counts[seq]! > 0) this.duplicates += 1;
    else {
      this.arrivals[seq] = at;
      if (seq < this.lastSeq) this.outOfOrder += 1;
    }
    this.counts[seq] = Math.min(this.counts[seq]! + 1, 0xffff);
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  /** When it first had `seq` or a later one; undefined while it has neither. */
  reachedAt(seq: number): number | undefined {
    let first: number | undefined;
    for (let later = Math.max(seq, 0); later <= this.lastSeq; later += 1) {
      if (this.counts[later]! > 0 && (first === undefined || this.arrivals[later]! < first))
        first = this.arrivals[later];
    }
    return first;
  }

  /** Of `seqs` (a chat's stored messages), those never received, in order. */
  missing(seqs: readonly number[]): number[] {
    return seqs.filter((seq) => !this.counts[seq]);
  }
}

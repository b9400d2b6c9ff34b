/** Seqs a log makes room for at first; it doubles as a chat grows. */
const INITIAL_CAPACITY = 1024;

/**
 * What one subscriber received of one chat: how often each seq arrived, so that a check can count the messages
 * it never got (gaps), got more than once (duplicates) or got after a later one (out of order).
 */
export class DeliveryLog {
  private counts = new Uint16Array(INITIAL_CAPACITY);
  /** The highest seq received: where a resumed subscription continues (`after`). */
  lastSeq = 0;
  /** Every delivery, duplicates included. */
  received = 0;
  duplicates = 0;
  outOfOrder = 0;
  /** Payloads that came without a message (`{ data: null, errors }`): what they were for is unknown. */
  errorPayloads = 0;

  receive(seq: number): void {
    if (seq >= this.counts.length) {
      const grown = new Uint16Array(Math.max(this.counts.length * 2, seq + 1));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.received += 1;
    if (this.counts[seq]! > 0) this.duplicates += 1;
    else if (seq < this.lastSeq) this.outOfOrder += 1;
    this.counts[seq] = Math.min(this.counts[seq]! + 1, 0xffff);
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  /** Of `seqs` (a chat's stored messages), those never received, in order. */
  missing(seqs: readonly number[]): number[] {
    return seqs.filter((seq) => !this.counts[seq]);
  }
}

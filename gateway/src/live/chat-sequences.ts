/**
 * Where a live message stands against what was delivered of its chat: the `next` one to deliver (or the
 * first heard of the chat), a `duplicate` of one delivered already, or past a `gap` (a live event lost or
 * reordered), which is filled from the chat's history first.
 */
export type Placement = 'next' | 'duplicate' | 'gap';

/** The last sequence number a `messageAdded` subscription delivered, per chat. */
export class ChatSequences {
  private readonly delivered = new Map<string, number>();

  /** The last sequence number delivered of a chat; undefined when none was. */
  last(chatId: string): number | undefined {
    return this.delivered.get(chatId);
  }

  /** Where a live message of `seq` stands in its chat. */
  place(chatId: string, seq: number): Placement {
    const last = this.delivered.get(chatId);
    if (last === undefined) return 'next';
    if (seq <= last) return 'duplicate';
    return seq > last + 1 ? 'gap' : 'next';
  }

  /** Whether a message read from history comes after everything delivered of its chat. */
  isNew(chatId: string, seq: number): boolean {
    return seq > (this.delivered.get(chatId) ?? 0);
  }

  /** Records `seq` as the last delivered of its chat. */
  deliver(chatId: string, seq: number): void {
    this.delivered.set(chatId, seq);
  }

  /** Drops a chat the viewer has left: a later message of it starts over. */
  forget(chatId: string): void {
    this.delivered.delete(chatId);
  }
}

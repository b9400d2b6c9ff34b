/**
 * Where a live message stands against what was delivered of its chat: the `next` one to deliver (or the
 * first heard of the chat), a `duplicate` of one delivered already, or past a `gap` (a live event lost or
 * reordered), which is filled from the chat's history first.
 */
export type Placement = 'next' | 'duplicate' | 'gap';

/**
 * What a `messageAdded` subscription delivered of each chat: the last message's sequence number and its
 * history cursor (opaque: the message subgraph makes it; replays and gap fills start from it). After a resume
 * at a cursor with nothing stored after it, only the cursor is known.
 */
export class ChatSequences {
  private readonly delivered = new Map<string, { seq: number | undefined; cursor: string }>();

  /** The cursor of the last message delivered of a chat (or of its resume point); undefined when none. */
  cursorOf(chatId: string): string | undefined {
    return this.delivered.get(chatId)?.cursor;
  }

  /**
   * Where a live message of `seq` stands in its chat; `previousCursor` is the cursor of the message before it,
   * which tells, after a resume known only by its cursor, whether it comes right after (compared, never read).
   */
  place(chatId: string, seq: number, previousCursor: string): Placement {
    const last = this.delivered.get(chatId);
    if (last === undefined) return 'next';
    if (last.seq === undefined) return last.cursor === previousCursor ? 'next' : 'gap';
    if (seq <= last.seq) return 'duplicate';
    return seq > last.seq + 1 ? 'gap' : 'next';
  }

  /** Whether a message read from history comes after everything delivered of its chat. */
  isNew(chatId: string, seq: number): boolean {
    return seq > (this.delivered.get(chatId)?.seq ?? 0);
  }

  /** Records a message as the last delivered of its chat. */
  deliver(chatId: string, seq: number, cursor: string): void {
    this.delivered.set(chatId, { seq, cursor });
  }

  /**
   * Records where a resume starts when nothing of the chat was delivered yet: the client stands at `cursor`,
   * even when nothing after it is stored yet, so a live message that does not come right after it is a gap to
   * fill from there, not the chat's first (after an outage, the fan-out's retries may publish 3 before 2; taken
   * as the first, 3 made 2 a duplicate, and 2 was lost).
   */
  resumeAt(chatId: string, cursor: string): void {
    if (!this.delivered.has(chatId)) this.delivered.set(chatId, { seq: undefined, cursor });
  }

  /** Drops a chat the viewer has left: a later message of it starts over. */
  forget(chatId: string): void {
    this.delivered.delete(chatId);
  }
}

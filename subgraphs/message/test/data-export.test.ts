import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool } from '@letstalk/db';
import type { DataExportLine } from '@letstalk/events';
import { messageLines } from '../src/export/data-export.ts';
import { chats, messages, tables } from '../src/data/tables.ts';
import { DIRECT, group, send, startMessageHarness } from './harness.ts';

const BLOCK = 'mutation($id: ID!) { blockUser(userId: $id) { id } }';
const DELETE = 'mutation($id: ID!) { deleteMessage(messageId: $id) { id } }';

/** What the message subgraph puts in a person's archive, by file, each line parsed. */
async function exported(db: Parameters<typeof messageLines>[0], userId: string) {
  const files = new Map<string, Record<string, unknown>[]>();
  for await (const { file, line } of messageLines(db, userId) as AsyncIterable<DataExportLine>) {
    files.set(file, [...(files.get(file) ?? []), JSON.parse(line) as Record<string, unknown>]);
  }
  return files;
}

describe("the message subgraph's part of a data export", () => {
  let h: Awaited<ReturnType<typeof startMessageHarness>>;
  let pool: ReturnType<typeof createPool>;
  let db: ReturnType<typeof createDatabase<typeof tables>>;

  beforeAll(async () => {
    h = await startMessageHarness();
    pool = createPool(h.env.DATABASE_URL, h.env.MESSAGE_DATABASE);
    db = createDatabase(pool, tables);
  });
  afterAll(async () => {
    await pool?.end();
    await h?.close();
  });

  it("holds the person's chats, their own messages but deleted ones, and whom they blocked", async () => {
    const [alice, bob, carol] = await h.people(3);
    const direct = (await alice!.call(DIRECT, { userId: bob!.id })).data!['startDirectChat'] as { id: string };
    const team = await group(alice!, [bob!], 'Team');
    const first = await send(alice!, direct.id, 'one');
    await send(bob!, direct.id, 'from Bob');
    const gone = await send(alice!, direct.id, 'deleted later');
    expect((await alice!.call(DELETE, { id: gone.id })).errors).toBeUndefined();
    const inTeam = await send(alice!, team.id, 'in the group');
    expect((await alice!.call(BLOCK, { id: carol!.id })).errors).toBeUndefined();

    const files = await exported(db, alice!.id);
    expect(files.get('chats.jsonl')).toEqual([
      expect.objectContaining({ id: direct.id, kind: 'DIRECT', withUserId: bob!.id, role: 'MEMBER', mutedUntil: null }),
      expect.objectContaining({ id: team.id, kind: 'GROUP', name: 'Team', withUserId: null, role: 'OWNER' }),
    ]);
    expect(files.get('messages.jsonl')?.map((message) => [message['id'], message['text']])).toEqual([
      [first.id, 'one'],
      [inTeam.id, 'in the group'],
    ]);
    expect(files.get('blocked-users.jsonl')).toEqual([expect.objectContaining({ userId: carol!.id })]);
    // Bob's archive has his message, not Alice's.
    const bobs = await exported(db, bob!.id);
    expect(bobs.get('messages.jsonl')?.map((message) => message['text'])).toEqual(['from Bob']);
  });

  it('reads a long history a page at a time, oldest first, every message once', async () => {
    const [dana, erin] = await h.people(2);
    const chat = (await dana!.call(DIRECT, { userId: erin!.id })).data!['startDirectChat'] as { id: string };
    // 1,201 messages (more than two pages), written straight to the table: sending them would take minutes.
    const count = 1201;
    await db.insert(messages).values(
      Array.from({ length: count }, (_, index) => ({
        chatId: chat.id,
        seq: index + 1,
        senderId: index % 3 === 2 ? erin!.id : dana!.id,
        clientMessageId: randomUUID(),
        text: `message ${index + 1}`,
      })),
    );
    await db
      .update(chats)
      .set({ lastSeq: sql`${count}` })
      .where(eq(chats.id, chat.id));
    const seqs = (await exported(db, dana!.id)).get('messages.jsonl')!.map((message) => message['seq']);
    const expected = Array.from({ length: count }, (_, index) => index + 1).filter((seq) => seq % 3 !== 0);
    expect(seqs).toEqual(expected);
  });
});

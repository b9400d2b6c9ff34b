import mysql, { type RowDataPacket } from 'mysql2/promise';
import { mediaImageProcessed } from '@letstalk/events';
import type { ChaosStack } from './chaos-stack.ts';

/** A message as the message database has it. */
export interface StoredMessage {
  chatId: string;
  seq: number;
  clientMessageId: string;
}

/** A link preview or an image that is not settled (neither READY nor FAILED), or settled FAILED. */
export interface JobStates {
  /** Link previews by URL: `PENDING`, `READY` or `FAILED`. */
  previews: Map<string, string>;
  /** Images by id: `PROCESSING`, `READY` or `FAILED`. */
  images: Map<string, string>;
  /** Images still PROCESSING that were created before the cut-off, whoever uploaded them. */
  processingBefore: number;
}

async function query<Row extends RowDataPacket>(url: string, sql: string, values: unknown[] = []): Promise<Row[]> {
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 5_000, dateStrings: false });
  try {
    const [rows] = await connection.query<Row[]>(sql, values);
    return rows;
  } finally {
    await connection.end();
  }
}

/** Every message of the given chats, read straight from the message database. */
export async function storedMessages(stack: ChaosStack, chatIds: string[]): Promise<StoredMessage[]> {
  const rows = await query<RowDataPacket & { chat_id: string; seq: number; client_message_id: Buffer | string }>(
    stack.databaseUrl('message'),
    'SELECT chat_id, seq, client_message_id FROM messages WHERE chat_id IN (?)',
    [chatIds],
  );
  return rows.map((row) => ({
    chatId: row.chat_id,
    seq: Number(row.seq),
    clientMessageId: row.client_message_id.toString(),
  }));
}

/** The state of every link preview and image, read straight from the preview and media databases. */
export async function jobStates(stack: ChaosStack, cutOff: Date): Promise<JobStates> {
  const [previews, images, processing] = await Promise.all([
    query<RowDataPacket & { url: string; status: string }>(
      stack.databaseUrl('preview'),
      'SELECT url, status FROM link_previews',
    ),
    query<RowDataPacket & { id: string; status: string }>(stack.databaseUrl('media'), 'SELECT id, status FROM images'),
    query<RowDataPacket & { count: number }>(
      stack.databaseUrl('media'),
      "SELECT COUNT(*) AS count FROM images WHERE status = 'PROCESSING' AND created_at < ?",
      [cutOff],
    ),
  ]);
  return {
    previews: new Map(previews.map((row) => [row.url, row.status])),
    images: new Map(images.map((row) => [row.id, row.status])),
    processingBefore: Number(processing[0]?.count ?? 0),
  };
}

/** Outbox rows of the message database committed and not yet published (the relay's work in hand). */
export async function unpublishedEvents(stack: ChaosStack): Promise<number> {
  const rows = await query<RowDataPacket & { count: number }>(
    stack.databaseUrl('message'),
    'SELECT COUNT(*) AS count FROM outbox WHERE published_at IS NULL',
  );
  return Number(rows[0]?.count ?? 0);
}

/**
 * Images whose end was announced more than once (`media.image.processed` rows of the media outbox, kept a day
 * once published), by id: the image worker changes a PROCESSING row, and announces it, only on its first finish.
 */
export async function imagesAnnouncedTwice(stack: ChaosStack): Promise<string[]> {
  const rows = await query<RowDataPacket & { id: string }>(
    stack.databaseUrl('media'),
    `SELECT images.id AS id FROM images
       JOIN outbox ON outbox.subject = ? AND JSON_VALUE(outbox.payload, '$.data.imageId') = images.id
     GROUP BY images.id HAVING COUNT(*) > 1`,
    [mediaImageProcessed.subject],
  );
  return rows.map((row) => row.id);
}

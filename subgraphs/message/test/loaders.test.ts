import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDatabase, createPool } from '@letstalk/db';
import { localServices } from '@letstalk/testing';
import { tables } from '../src/data/tables.ts';
import { createLoaders } from '../src/loaders.ts';

/**
 * A database that cannot be read (MariaDB restarting) must fail a lookup, never answer "no such chat": the
 * gateway takes NOT_FOUND for a message the viewer may not see, and skips it in live delivery for good.
 */
describe('the loaders, when the database cannot be read', () => {
  it('fail every lookup that needs the viewer chats, instead of answering nothing', async () => {
    const pool = createPool(localServices().databaseUrl, 'letstalk_message');
    await pool.end();
    const loaders = createLoaders(createDatabase(pool, tables), randomUUID());
    const chatId = randomUUID();
    await expect(loaders.chat.load(chatId)).rejects.toThrow();
    await expect(loaders.message.load(`${chatId}:1`)).rejects.toThrow();
    await expect(loaders.lastMessage.load(chatId)).rejects.toThrow();
    await expect(loaders.unreadCount.load(chatId)).rejects.toThrow();
    await expect(loaders.activeCall.load(chatId)).rejects.toThrow();
  });
});

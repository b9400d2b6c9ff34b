import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { connectNats, messageDeleted, userUpdated, type EventContract, type EventEnvelope } from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { noiseJpeg } from '@letstalk/testing';
import type { MediaDb } from '../src/data/tables.ts';
import { images } from '../src/data/tables.ts';
import { markAttached } from '../src/data/image-repository.ts';
import { collectUnusedImages, UNATTACHED_IMAGE_TTL_MS } from '../src/worker/image-usage.ts';
import { startImageWorkerService } from '../src/worker/service.ts';
import type { Storage } from '../src/storage/storage.ts';
import { startMediaHarness } from './harness.ts';

type Upload = { uploadImage: { id: string } };

describe('where images are used', () => {
  let media: Awaited<ReturnType<typeof startMediaHarness>>;
  let db: MediaDb;
  let storage: Storage;

  beforeAll(async () => {
    media = await startMediaHarness();
    ({ db, storage } = media);
  });
  afterAll(async () => {
    await media.close();
  });

  const upload = async (token: string, bytes: Buffer) =>
    (await media.upload<Upload>(token, [{ bytes, name: 'a.jpg' }])).data!.uploadImage.id;
  const keyOf = async (id: string) => (await db.select().from(images).where(eq(images.id, id)))[0]?.originalKey;
  const ids = async (list: string[]) =>
    (await db.select({ id: images.id }).from(images).where(inArray(images.id, list))).map((row) => row.id).sort();
  async function until(what: string, check: () => Promise<boolean>) {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }

  it('deletes uploads never used after a day, and their files unless another upload has the same content', async () => {
    const alice = await media.person();
    const shared = await noiseJpeg(40);
    const [oldUnused, oldUsed, recentUnused, sameAsOldUnused, lonelyOld] = [
      await upload(alice.token, shared),
      await upload(alice.token, await noiseJpeg(41)),
      await upload(alice.token, await noiseJpeg(42)),
      await upload(alice.token, shared),
      await upload(alice.token, await noiseJpeg(43)),
    ];
    await markAttached(db, oldUsed);
    await markAttached(db, sameAsOldUnused);
    const twoDaysAgo = new Date(Date.now() - 2 * UNATTACHED_IMAGE_TTL_MS);
    await db
      .update(images)
      .set({ createdAt: twoDaysAgo })
      .where(inArray(images.id, [oldUnused, oldUsed, sameAsOldUnused, lonelyOld]));
    const lonelyKey = (await keyOf(lonelyOld))!;

    await collectUnusedImages(db, storage);
    expect(await ids([oldUnused, oldUsed, recentUnused, sameAsOldUnused, lonelyOld])).toEqual(
      [oldUsed, recentUnused, sameAsOldUnused].sort(),
    );
    expect(await storage.head((await keyOf(sameAsOldUnused))!)).toBeDefined();
    expect(await storage.head(lonelyKey)).toBeUndefined();
  });

  it('deletes a profile picture once another replaces it, and keeps the new one', async () => {
    const worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
    );
    const nc = await connectNats(media.env.NATS_URL, 'media-usage-test');
    try {
      const alice = await media.person();
      const [before, after] = [
        await upload(alice.token, await noiseJpeg(44)),
        await upload(alice.token, await noiseJpeg(45)),
      ];
      await db
        .update(images)
        .set({ purpose: 'AVATAR', attachedAt: sql`CURRENT_TIMESTAMP(3)` })
        .where(eq(images.id, before));
      const envelope: EventEnvelope = {
        v: userUpdated.version,
        data: userUpdated.schema.parse({
          userId: alice.id,
          firstName: 'Alice',
          lastName: 'Test',
          avatarImageId: after,
          replacedAvatarImageId: before,
          updatedAt: new Date().toISOString(),
        }),
      };
      await jetstream(nc).publish(userUpdated.subject, JSON.stringify(envelope), {
        msgID: `user-updated-${randomUUID()}`,
      });
      const deadline = Date.now() + 20_000;
      while ((await ids([before])).length > 0) {
        if (Date.now() > deadline) throw new Error('the replaced picture was never deleted');
        await new Promise((wait) => setTimeout(wait, 100));
      }
      expect((await db.select().from(images).where(eq(images.id, after)))[0]?.attachedAt).not.toBeNull();
    } finally {
      await nc.close();
      await worker.stop();
    }
  });

  it('deletes a message image the message subgraph released, and only a message image', async () => {
    const worker = await startImageWorkerService(
      media.workerEnv(),
      createLogger({ service: 'worker', level: 'silent', pretty: false }),
    );
    const nc = await connectNats(media.env.NATS_URL, 'media-usage-test');
    const publish = async <Contract extends EventContract>(contract: Contract, data: unknown) => {
      const envelope: EventEnvelope = { v: contract.version, data: contract.schema.parse(data) };
      await jetstream(nc).publish(contract.subject, JSON.stringify(envelope), {
        msgID: `${contract.subject}-${randomUUID()}`,
      });
    };
    const chatId = randomUUID();
    let seq = 0;
    /** A message deletion; `releasedImageId` when it was the last message to show that image. */
    const deleted = (deletedBy: string, releasedImageId?: string | null) => {
      seq += 1;
      return publish(messageDeleted, {
        chatId,
        messageId: `${chatId}:${seq}`,
        seq,
        deletedBy,
        deletedAt: new Date().toISOString(),
        releasedImageId,
      });
    };
    try {
      const alice = await media.person();
      const kept = await upload(alice.token, await noiseJpeg(46));
      const released = await upload(alice.token, await noiseJpeg(47));
      // Another message still shows `kept`: its deletion names no image; then one that releases `released`.
      await deleted(alice.id, null);
      await deleted(alice.id);
      await deleted(alice.id, released);
      await until('the released image to be deleted', async () => (await ids([released])).length === 0);
      expect(await ids([kept])).toEqual([kept]);

      // A deletion naming someone's avatar never deletes it; one after it shows the worker got past it.
      const avatar = await upload(alice.token, await noiseJpeg(49));
      await db.update(images).set({ purpose: 'AVATAR' }).where(eq(images.id, avatar));
      await deleted(alice.id, avatar);
      const after = await upload(alice.token, await noiseJpeg(50));
      await deleted(alice.id, after);
      await until('the later released image to be deleted', async () => (await ids([after])).length === 0);
      expect(await ids([avatar])).toEqual([avatar]);
    } finally {
      await nc.close();
      await worker.stop();
    }
  });
});

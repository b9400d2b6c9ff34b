import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SendMessageDocument, SetTypingDocument, UploadImageDocument } from '@letstalk/sdk';
import { startFakeWeb, type FakeWeb } from '@letstalk/testing';
import { aliceAndBobFollowingLive, codeOf, say } from './helpers.ts';
import { scrape, series, total, type Sample } from './scrape.ts';

const PROCESSES = ['gateway', 'user', 'message', 'media', 'preview', 'media-worker', 'preview-worker'] as const;
type Process = (typeof PROCESSES)[number];
/** The processes with a database of their own (every one but the gateway). */
const WITH_DATABASE = PROCESSES.filter((name) => name !== 'gateway');
const DATABASE_OF: Record<Exclude<Process, 'gateway'>, RegExp> = {
  user: /user$/,
  message: /message$/,
  media: /media$/,
  preview: /preview$/,
  'media-worker': /media$/,
  'preview-worker': /preview$/,
};

async function scrapeAll(): Promise<Record<Process, Sample[]>> {
  const urls = inject('metricsUrls');
  const scraped = await Promise.all(PROCESSES.map((name) => scrape(urls[name]!)));
  return Object.fromEntries(PROCESSES.map((name, index) => [name, scraped[index]!])) as Record<Process, Sample[]>;
}

const count = (name: string) => `letstalk_${name}_count`;

let web: FakeWeb;
beforeAll(async () => {
  web = await startFakeWeb('127.0.0.1');
});
afterAll(async () => {
  await web?.close();
});

describe('metrics of every process', () => {
  it('after a conversation with an image and a link, every process’s /metrics shows what happened', async () => {
    const before = await scrapeAll();

    const { alice, bob, chat, added, updated } = await aliceAndBobFollowingLive();

    for (const text of ['one', 'two', 'three']) await say(alice, chat.id, text);
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
      .png()
      .toBuffer();
    const { uploadImage } = await alice.client.upload(UploadImageDocument, {
      file: new File([new Uint8Array(png)], 'green.png', { type: 'image/png' }),
      purpose: 'MESSAGE',
    });
    await alice.client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: crypto.randomUUID(), text: 'a picture', imageId: uploadImage.id },
    });
    await say(alice, chat.id, `read ${web.page('/og')}`);
    await added.until(() => added.data().length >= 5, 'the five messages');
    // A small image may be READY before the message is sent: then the message arrives with it READY.
    const imageReady = () =>
      added.data().some((data) => data.messageAdded.image?.status === 'READY') ||
      updated.data().some((data) => data.messageUpdated.image?.status === 'READY');
    await updated.until(
      () => imageReady() && updated.data().some((data) => data.messageUpdated.linkPreview?.status === 'READY'),
      'the image and the link preview to be ready',
    );
    expect(await codeOf(say(alice, 'not-a-chat-id', 'lost'))).toBe('BAD_USER_INPUT');
    let typing: string | undefined;
    for (let attempt = 0; attempt < 40 && typing === undefined; attempt += 1) {
      typing = await codeOf(bob.client.request(SetTypingDocument, { chatId: chat.id }));
    }
    expect(typing).toBe('RATE_LIMITED');

    const after = await scrapeAll();
    await Promise.all([added.stop(), updated.stop()]);
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);

    const grew = (process: Process, name: string, labels: Record<string, string | RegExp> = {}) =>
      total(after[process], name, labels) - total(before[process], name, labels);

    // Every process: its default process metrics, NATS up, and (but the gateway) its MySQL pool and outbox.
    for (const process of PROCESSES) {
      expect(series(after[process], 'process_cpu_user_seconds_total'), process).toHaveLength(1);
      expect(series(after[process], 'nodejs_eventloop_lag_seconds'), process).toHaveLength(1);
      expect(
        series(after[process], 'letstalk_nats_connected').map((sample) => sample.value),
        process,
      ).toEqual([1]);
      expect(series(after[process], 'letstalk_nats_reconnects_total'), process).toHaveLength(1);
    }
    for (const process of WITH_DATABASE) {
      const database = DATABASE_OF[process];
      expect(total(after[process], 'letstalk_db_pool_max_connections', { database }), process).toBeGreaterThan(0);
      expect(series(after[process], 'letstalk_db_pool_connections', { database, state: 'idle' }), process).toHaveLength(
        1,
      );
      expect(
        series(after[process], 'letstalk_db_pool_connections', { database, state: 'in_use' }),
        process,
      ).toHaveLength(1);
      expect(series(after[process], 'letstalk_db_pool_waiting_requests', { database }), process).toHaveLength(1);
      expect(series(after[process], 'letstalk_outbox_pending_rows', { database }), process).toHaveLength(1);
      expect(series(after[process], 'letstalk_outbox_oldest_pending_age_seconds', { database }), process).toHaveLength(
        1,
      );
    }
    // Each writer published its events: accounts, messages, the upload, its processing, the preview.
    for (const process of ['user', 'message', 'media', 'media-worker', 'preview-worker'] as const) {
      expect(grew(process, 'letstalk_outbox_published_total'), process).toBeGreaterThan(0);
    }

    // The gateway: requests by operation and outcome, error codes, subgraph fetches, the live path.
    const requests = count('graphql_request_duration_seconds');
    expect(grew('gateway', requests, { operation: 'SendMessage', outcome: 'ok' })).toBeGreaterThanOrEqual(5);
    expect(grew('gateway', requests, { operation: 'SendMessage', outcome: 'client_error' })).toBeGreaterThanOrEqual(1);
    expect(grew('gateway', requests, { operation: 'UploadImage', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(grew('gateway', requests, { operation: 'internal' })).toBeGreaterThan(0);
    expect(grew('gateway', 'letstalk_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBeGreaterThanOrEqual(1);
    expect(grew('gateway', 'letstalk_graphql_errors_total', { code: 'RATE_LIMITED' })).toBeGreaterThanOrEqual(1);
    const fetches = count('gateway_subgraph_fetch_duration_seconds');
    for (const subgraph of ['user', 'message', 'media', 'preview']) {
      expect(grew('gateway', fetches, { subgraph, outcome: 'ok' }), subgraph).toBeGreaterThan(0);
    }
    expect(total(after.gateway, 'letstalk_live_connections')).toBeGreaterThanOrEqual(1);
    expect(total(after.gateway, 'letstalk_live_subscriptions', { field: 'messageAdded' })).toBeGreaterThanOrEqual(1);
    expect(total(after.gateway, 'letstalk_live_subscriptions', { field: 'messageUpdated' })).toBeGreaterThanOrEqual(1);
    expect(grew('gateway', 'letstalk_live_deliveries_total')).toBeGreaterThanOrEqual(7);
    expect(grew('gateway', count('live_delivery_lag_seconds'))).toBeGreaterThanOrEqual(7);
    expect(grew('gateway', 'letstalk_live_delivery_lag_seconds_sum')).toBeGreaterThan(0);
    expect(
      series(after.gateway, 'letstalk_live_slow_consumer_closes_total')
        .map((s) => s.labels.reason)
        .sort(),
    ).toEqual(['queue', 'send_buffer']);

    // The subgraphs: the fetches the gateway planned, named after the client's operation.
    expect(grew('message', requests, { operation: 'SendMessage', outcome: 'ok' })).toBeGreaterThanOrEqual(5);
    expect(grew('message', requests, { operation: 'internal' })).toBeGreaterThan(0);
    expect(grew('media', requests, { operation: 'UploadImage', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(grew('user', requests, { operation: 'SignInWithEmailCode', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(grew('preview', requests)).toBeGreaterThan(0);
    expect(grew('message', 'letstalk_rate_limit_refusals_total', { limit: 'typing' })).toBeGreaterThanOrEqual(1);

    // Consumers by durable: handled, backlog, redeliveries and dead letters.
    const handled = count('consumer_handle_duration_seconds');
    const consumers = [
      ['message', /-live-message-created-any$/],
      ['media-worker', /-image-worker$/],
      ['preview-worker', /-worker-created-links$/],
    ] as const;
    for (const [process, durable] of consumers) {
      expect(grew(process, handled, { durable, outcome: 'acked' }), `${process} ${durable}`).toBeGreaterThan(0);
      for (const name of ['pending_messages', 'ack_pending_messages', 'redeliveries_total', 'dead_letters_total']) {
        expect(series(after[process], `letstalk_consumer_${name}`, { durable }), `${process} ${name}`).toHaveLength(1);
      }
    }

    // The workers' jobs.
    expect(grew('media-worker', count('image_job_duration_seconds'), { outcome: 'ready' })).toBeGreaterThanOrEqual(1);
    expect(grew('preview-worker', count('preview_fetch_duration_seconds'), { outcome: 'page' })).toBeGreaterThanOrEqual(
      1,
    );
  }, 60_000);
});

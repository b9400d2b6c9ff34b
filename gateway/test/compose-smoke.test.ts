import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  createClient,
  CreateGroupChatDocument,
  MessagesDocument,
  RequestEmailCodeDocument,
  SendMessageDocument,
  SignInWithEmailCodeDocument,
  UploadImageDocument,
} from '@letstalk/sdk';
import { freePort, localServices, repoRoot } from '@letstalk/stack';
import {
  dockerfile,
  environmentOf,
  jpegWithOrientation,
  resolvedCompose,
  startFakeSmtp,
  startPrivateNats,
  waitForCode,
  type ComposeService,
} from '@letstalk/testing';
import { PRODUCTION_SETTINGS } from './compose-settings.ts';

/** How long the whole compose-shaped stack gets to become ready, and an image to be processed. */
const READY_MS = 90_000;

const COMPOSE_HOSTS = /\/\/(user|message|media|preview|gateway):(\d+)/g;

/**
 * A service's compose environment as it would run on this machine instead of in its container: the
 * containers' host names become 127.0.0.1, the ports they listen on free ones (`ports`, shared by every
 * service so URLs follow), NATS the test's own server, /app/.data a directory of the test's, the image's
 * /app the repository, and the database URL this machine's (its root has no password).
 */
function onThisMachine(
  environment: Record<string, string>,
  where: { ports: Map<string, number>; dataDir: string; natsUrl: string },
) {
  const mapped: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    mapped[name] = value
      .replace(/^nats:\/\/nats:4222$/, where.natsUrl)
      .replace(COMPOSE_HOSTS, (_match, _host: string, port: string) => `//127.0.0.1:${where.ports.get(port) ?? port}`)
      .replace(/^\/app\/\.data/, where.dataDir)
      .replace(/^\/app\//, `${repoRoot}/`);
    if (name.endsWith('_HOST') && value === '0.0.0.0') mapped[name] = '127.0.0.1';
    if (name.endsWith('_PORT') && name !== 'METRICS_PORT') mapped[name] = String(where.ports.get(value) ?? value);
  }
  mapped.DATABASE_URL &&= localServices().databaseUrl;
  return mapped;
}

interface Started {
  name: string;
  child: ChildProcess;
  output: string;
  port: number;
  metricsPort: number;
}

describe('the docker-compose.yml stack, run on this machine without Docker', () => {
  const started: Started[] = [];

  afterAll(async () => {
    await Promise.all(
      started.map(async ({ child }) => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }),
    );
  });

  it('starts every service with exactly its compose environment; each becomes ready, an image goes through, each stops cleanly', async () => {
    const smtp = await startFakeSmtp();
    // A NATS server of its own: on the machine's, this stack's durable consumers would first work through
    // every event the other suites published since its last run.
    const nats = await startPrivateNats();
    const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-compose-'));
    const services = resolvedCompose({ ...PRODUCTION_SETTINGS, SMTP_URL: smtp.smtpUrl });
    const { targets } = dockerfile();
    const ours = Object.entries(services).filter(([, service]) => service.build);
    const mainPort = (service: ComposeService) =>
      Object.entries(environmentOf(service)).find(([name]) => name.endsWith('_PORT') && name !== 'METRICS_PORT')![1];
    const ports = new Map<string, number>();
    for (const [, service] of ours) ports.set(mainPort(service), await freePort());

    // In compose's order: a service starts once those it depends on (other than MySQL and NATS) are ready.
    const ready = new Set<string>();
    const dependenciesOf = (service: ComposeService) =>
      Object.keys(service.depends_on ?? {}).filter((name) => name !== 'mysql' && name !== 'nats');
    while (ready.size < ours.length) {
      const next = ours.filter(
        ([name, service]) => !ready.has(name) && dependenciesOf(service).every((dependency) => ready.has(dependency)),
      );
      expect(next.length).toBeGreaterThan(0);
      await Promise.all(
        next.map(async ([name, service]) => {
          // Every container serves /metrics on 9464; here each process needs a port of its own.
          const metricsPort = await freePort();
          const env = {
            ...onThisMachine(environmentOf(service), { ports, dataDir, natsUrl: nats.url }),
            METRICS_PORT: String(metricsPort),
          };
          const entry = targets.get(service.build!.target!)!;
          const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, entry)], {
            cwd: repoRoot,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          const process_ = { name, child, output: '', port: ports.get(mainPort(service))!, metricsPort };
          for (const stream of [child.stdout, child.stderr])
            stream.on('data', (chunk: Buffer) => (process_.output += chunk.toString()));
          started.push(process_);
          await untilReady(process_);
          ready.add(name);
        }),
      );
    }

    // Someone signs in with an emailed code and sends a message with an image, through the gateway.
    const gateway = started.find((process_) => process_.name === 'gateway')!;
    const session = { token: '' };
    const client = createClient({
      url: `http://127.0.0.1:${gateway.port}/graphql`,
      accessToken: () => session.token || undefined,
      webSocketImpl: WebSocket,
    });
    const email = `compose-${randomUUID().slice(0, 8)}@example.test`;
    await client.request(RequestEmailCodeDocument, { email });
    const code = await waitForCode(smtp.inboxUrl, email);
    session.token = (
      await client.request(SignInWithEmailCodeDocument, { email, code })
    ).signInWithEmailCode.accessToken;
    const chat = await eventually(
      async () => (await client.request(CreateGroupChatDocument, { name: 'Compose', memberIds: [] })).createGroupChat,
    );
    const photo = new File([await jpegWithOrientation()], 'photo.jpg', { type: 'image/jpeg' });
    const { uploadImage } = await client.upload(UploadImageDocument, { file: photo, purpose: 'MESSAGE' });
    await client.request(SendMessageDocument, {
      input: { chatId: chat.id, clientMessageId: randomUUID(), text: 'from compose', imageId: uploadImage.id },
    });
    const message = await eventually(async () => {
      const { messages } = await client.request(MessagesDocument, { chatId: chat.id, first: 1 });
      const newest = messages.edges[0]?.node;
      if (newest?.image?.status !== 'READY') throw new Error(`image ${newest?.image?.status ?? 'missing'}`);
      return newest;
    });
    expect(message).toMatchObject({ text: 'from compose', image: { id: uploadImage.id, status: 'READY' } });
    expect(message.image?.thumbnail?.startsWith('https://chat.example.test/media/')).toBe(true);
    await client.dispose();
    await smtp.close();

    // Prometheus scrapes every process on its metrics port; the gateway's public port serves none.
    for (const { name, metricsPort } of started) {
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect({ name, status: scrape.status, series: (await scrape.text()).includes('letstalk_') }).toEqual({
        name,
        status: 200,
        series: true,
      });
    }
    expect((await fetch(`http://127.0.0.1:${gateway.port}/metrics`)).status).toBe(404);

    // A client still connected over graphql-ws is told the server is going away (1001), so it reconnects elsewhere.
    const socket = new WebSocket(`ws://127.0.0.1:${gateway.port}/graphql`, 'graphql-transport-ws');
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${session.token}` } }));
    await once(socket, 'message');
    const closed = once(socket, 'close');

    // docker compose stop: SIGTERM, and each exits 0 well within its grace period.
    const codes = await Promise.all(
      started.reverse().map(async ({ name, child }) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const [code] = (await exited) as [number | null];
        return [name, code] as const;
      }),
    );
    await nats.stop();
    expect(Object.fromEntries(codes)).toEqual(Object.fromEntries(ours.map(([name]) => [name, 0])));
    const [closeCode] = (await closed) as [number];
    expect(closeCode).toBe(1001);
  }, 180_000);
});

async function untilReady(process_: Started): Promise<void> {
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline) {
    if (process_.child.exitCode !== null) break;
    const ok = await fetch(`http://127.0.0.1:${process_.port}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`${process_.name} did not become ready:\n${process_.output.slice(-3000)}`);
}

/** Retries `attempt` until it succeeds (an account reaches the message subgraph by event, an image by a worker). */
async function eventually<Result>(attempt: () => Promise<Result>): Promise<Result> {
  const deadline = Date.now() + READY_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((wait) => setTimeout(wait, 300));
    }
  }
}

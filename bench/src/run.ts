import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { WebSocket } from 'ws';
import { databaseUrl as databaseUrlSchema, loadConfig, natsUrl as natsUrlSchema } from '@letstalk/config';
import { connectNats } from '@letstalk/events';
import { createClient, SignInWithOidcDocument } from '@letstalk/sdk';
import { runStack } from '@letstalk/stack';
import { runScaledStack } from '../../packages/stack/src/scaled/run-scaled.ts';
import {
  accessTokenMinter,
  mintedUsers,
  requestIdToken,
  requireServices,
  startFakeDns,
  startFakeOidcIssuer,
  startFakeWeb,
} from '@letstalk/testing';
import { benchChatList } from './chat-list.ts';
import { benchCost } from './cost.ts';
import { benchFanOut } from './fan-out.ts';
import { benchGatewayPeer } from './gateway-peer.ts';
import { benchHistory } from './history.ts';
import { benchSearch } from './search.ts';
import { benchSizing } from './sizing.ts';
import { benchIdleMemory } from './idle-memory.ts';
import { benchImages } from './images.ts';
import { benchLatency } from './latency.ts';
import { benchPreviews } from './previews.ts';
import { closeRequests } from './measure.ts';
import { stackProcesses } from './process-cpu.ts';

/**
 * `npm run bench`: starts the stack with `npm start` on free ports against bench-only databases, and
 * prints each figure beside a baseline measured in the same run (this machine is shared: only ratios hold).
 */
const BENCH_DATABASES = {
  USER_DATABASE: 'letstalk_bench_user',
  MESSAGE_DATABASE: 'letstalk_bench_message',
  MEDIA_DATABASE: 'letstalk_bench_media',
  PREVIEW_DATABASE: 'letstalk_bench_preview',
};
const { DATABASE_URL: databaseUrl, NATS_URL: natsUrl } = loadConfig('npm run bench', {
  DATABASE_URL: databaseUrlSchema,
  NATS_URL: natsUrlSchema,
});

await requireServices();
// Production mode, as operators run it (graphql-js, for one, skips its development checks), with a
// signing key and an image URL secret made for this run.
const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const privateKeyPem = await exportPKCS8(privateKey);
const oidc = await startFakeOidcIssuer({ audience: 'letstalk-bench' });
// The pages the previews benchmark links to, on 127.0.0.1 (allowed for this stack only).
const web = await startFakeWeb('127.0.0.1');
// A name server that knows no name: no link a benchmark writes (https://example.com/…) is looked up outside.
const dns = await startFakeDns({});
/** The settings of every stack the benchmarks run (the scaled one of `sizing` too). */
const stackEnv = {
  NODE_ENV: 'production',
  AUTH_PRIVATE_KEY: privateKeyPem,
  MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'warn',
  TRUST_PROXY_HOPS: '1',
  AUTH_OIDC_PROVIDERS: JSON.stringify([{ name: 'bench', issuer: oidc.issuer, audience: oidc.audience }]),
  AUTH_ALLOW_INSECURE_ISSUERS: 'true',
  PREVIEW_ALLOW_HOSTS: '127.0.0.1',
  PREVIEW_DNS_SERVERS: dns.server,
  // The live benchmarks' clients all connect from 127.0.0.1 (thousands of people behind one address).
  GATEWAY_MAX_CONNECTIONS_PER_IP: '25000',
  GATEWAY_MAX_WS_CONNECTIONS_PER_IP: '25000',
};
const stack = await runStack(
  { ...stackEnv, DATA_DIR: await mkdtemp(join(tmpdir(), 'letstalk-bench-')), ...BENCH_DATABASES },
  { extraGateways: 2 },
);

async function person(firstName: string, gatewayUrl = stack.gatewayUrl) {
  const session = { token: '' };
  const client = createClient({
    url: gatewayUrl,
    accessToken: () => session.token || undefined,
    webSocketImpl: WebSocket,
    headers: { 'x-forwarded-for': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` },
  });
  const idToken = await requestIdToken(oidc.issuer, { sub: randomUUID(), given_name: firstName, family_name: 'Bench' });
  const { signInWithOidc } = await client.request(SignInWithOidcDocument, { provider: 'bench', idToken });
  session.token = signInWithOidc.accessToken;
  return { client, token: session.token, userId: signInWithOidc.user.id };
}

/** `npm run bench -- history fan-out` runs only the named benchmarks (chat-list, gateway-peer, history, search, previews, images, cost, fan-out, latency, memory, sizing). */
const wanted = new Set(process.argv.slice(2));
const runs = (name: string) => wanted.size === 0 || wanted.has(name);

try {
  console.log(`LetsTalk benchmarks — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  const viewer = await person('Viewer');
  if (runs('chat-list')) {
    const others = await Promise.all(Array.from({ length: 20 }, (_, index) => person(`Friend${index + 1}`)));
    await benchChatList({ gatewayUrl: stack.gatewayUrl, messageUrl: stack.subgraphUrls.message, viewer, others });
  }
  if (runs('history')) {
    await benchHistory({
      messageUrl: stack.subgraphUrls.message,
      databaseUrl: `${databaseUrl.replace(/\/$/, '')}/${BENCH_DATABASES.MESSAGE_DATABASE}`,
      viewer,
    });
  }
  if (runs('previews')) {
    await benchPreviews({
      gatewayUrl: stack.gatewayUrl,
      previewUrl: stack.subgraphUrls.preview,
      viewer,
      other: await person('Linker'),
      web,
    });
  }
  if (runs('images')) {
    // Two people, so the batch stays within the per-person upload limit.
    const uploaders = [viewer.client, (await person('Uploader')).client];
    await benchImages({
      uploaders,
      mediaDatabaseUrl: `${databaseUrl.replace(/\/$/, '')}/${BENCH_DATABASES.MEDIA_DATABASE}`,
    });
  }
  // The live benchmarks use gateway processes of their own (the second only for memory, so it starts fresh).
  const [liveGateway, memoryGateway] = [stack.gatewayUrls[1]!, stack.gatewayUrls[2]!];
  const nc = await connectNats(natsUrl, 'bench');
  try {
    const mint = await mintedUsers({ privateKeyPem, nc });
    if (runs('gateway-peer')) {
      // Owners of their own 20 groups (real accounts: their names resolve); the members are minted.
      const owners = await Promise.all(Array.from({ length: 20 }, (_, index) => person(`Peer${index + 1}`)));
      await benchGatewayPeer({
        gatewayUrl: stack.gatewayUrl,
        subgraphUrls: stack.subgraphUrls,
        owners,
        mint,
        tokenFor: await accessTokenMinter(privateKeyPem),
        web,
        processes: stackProcesses({
          stackPid: stack.pid,
          extraGatewayPids: stack.extraGatewayPids,
          databasePort: Number(new URL(databaseUrl).port || 3306),
          natsPort: Number(new URL(natsUrl.split(',')[0]!).port || 4222),
        }),
      });
    }
    if (runs('search')) {
      await benchSearch({
        messageUrl: stack.subgraphUrls.message,
        databaseUrl: `${databaseUrl.replace(/\/$/, '')}/${BENCH_DATABASES.MESSAGE_DATABASE}`,
        mint,
      });
    }
    const senders =
      runs('fan-out') || runs('latency') || runs('cost') || runs('sizing')
        ? await Promise.all(Array.from({ length: 50 }, (_, index) => person(`Sender${index + 1}`)))
        : [];
    if (runs('cost')) {
      const processes = stackProcesses({
        stackPid: stack.pid,
        extraGatewayPids: stack.extraGatewayPids,
        databasePort: Number(new URL(databaseUrl).port || 3306),
        natsPort: Number(new URL(natsUrl.split(',')[0]!).port || 4222),
      });
      await benchCost({ gatewayUrls: stack.gatewayUrls, senders, mint, web, processes });
    }
    if (runs('fan-out')) await benchFanOut({ gatewayUrl: liveGateway, senders, mint });
    if (runs('latency')) await benchLatency({ gatewayUrl: liveGateway, senders, mint });
    if (runs('sizing')) {
      await benchSizing({
        single: { gatewayUrl: stack.gatewayUrl, senders, mint },
        startScaled: async () => {
          const scaled = await runScaledStack(stackEnv, {
            dataDir: await mkdtemp(join(tmpdir(), 'letstalk-bench-scaled-')),
          });
          const scaledNc = await connectNats(scaled.env['NATS_URL']!, 'bench-scaled');
          const scaledSenders = await Promise.all(
            Array.from({ length: senders.length }, (_, index) => person(`Sender${index + 1}`, scaled.gatewayUrl)),
          );
          return {
            gatewayUrl: scaled.gatewayUrl,
            senders: scaledSenders,
            mint: await mintedUsers({ privateKeyPem, nc: scaledNc }),
            stop: async () => {
              await scaledNc.close();
              await scaled.stop();
            },
          };
        },
      });
    }
    if (runs('memory'))
      await benchIdleMemory({ gatewayUrl: memoryGateway, gatewayPid: stack.extraGatewayPids[1]!, mint });
  } finally {
    await nc.close();
  }
} finally {
  await stack.stop();
  await oidc.close();
  await web.close();
  await dns.close();
  await closeRequests();
}

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, runStack, type RunningStack } from '@letstalk/stack';
import {
  requireServices,
  startFakeDns,
  startFakeGraphApi,
  startFakeOidcIssuer,
  startFakeSmtp,
} from '@letstalk/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    /** A second gateway process against the same subgraphs (live delivery across instances). */
    secondGatewayUrl: string;
    userSubgraphUrl: string;
    messageSubgraphUrl: string;
    oidcIssuer: string;
    facebookGraphUrl: string;
    inboxUrl: string;
    /** The stack's name server: `GET` it for the questions it was asked (see `fakeDnsQueries`). */
    dnsQueriesUrl: string;
    /** Every subgraph's URL, and the stack's environment: for a test that starts a gateway of its own. */
    subgraphUrls: RunningStack['subgraphUrls'];
    stackEnv: Record<string, string>;
    dataDir: string;
    /** The demo web chat `npm start` serves (packages/web-demo). */
    webDemoUrl: string;
    /**
     * Each process's `/metrics`, by process: gateway, second-gateway, the subgraphs, media-worker, preview-worker;
     * comma-separated when it runs several times (the scaled stack), and `scrape` adds them up.
     */
    metricsUrls: Record<string, string>;
  }
}

/** The fakes every end-to-end stack uses (sign-in providers, SMTP, a name server), and the stack's environment. */
export async function startFakes(dataDir: string) {
  await requireServices();
  const oidc = await startFakeOidcIssuer({ audience: 'letstalk-e2e-app' });
  const facebook = await startFakeGraphApi({ appId: '777', appSecret: 'e2e-secret' });
  const smtp = await startFakeSmtp();
  // Knows no name (NXDOMAIN): links to public sites (https://example.com) fail without any query leaving 127.0.0.1.
  const dns = await startFakeDns({});
  const stackEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    EXPLORER: 'true',
    CORS_ORIGINS: 'http://app.localhost',
    CALL_ICE_SERVERS: JSON.stringify([{ urls: 'stun:stun.localhost:3478' }]),
    TRUST_PROXY_HOPS: '1',
    // The SDK's sockets send no X-Forwarded-For, so every suite's sockets count as 127.0.0.1's: room for all.
    GATEWAY_MAX_WS_CONNECTIONS_PER_IP: '300',
    // A day's upload quota a test reaches with a few files (UPLOAD_BYTES_PER_USER_PER_DAY is 500 MiB).
    MEDIA_UPLOAD_BYTES_PER_USER_PER_DAY: String(64 * 1024 * 1024),
    // Presence keys of a gateway that dies expire within seconds (PRESENCE_TTL_MS is a minute), and are swept soon.
    PRESENCE_TTL_MS: '4000',
    PRESENCE_SWEEP_INTERVAL_MS: '500',
    // A bucket of its own, whose TTL this stack sets: not the one of a stack a developer runs beside it.
    PRESENCE_BUCKET: 'presence_e2e',
    // A replay limit a test reaches with a few dozen messages (MAX_REPLAY_MESSAGES is 1000).
    GATEWAY_MAX_REPLAY_MESSAGES: '40',
    AUTH_OIDC_PROVIDERS: JSON.stringify([{ name: 'fake', issuer: oidc.issuer, audience: oidc.audience }]),
    AUTH_ALLOW_INSECURE_ISSUERS: 'true',
    FACEBOOK_APP_ID: facebook.appId,
    FACEBOOK_APP_SECRET: facebook.appSecret,
    FACEBOOK_GRAPH_URL: facebook.url,
    SMTP_URL: smtp.smtpUrl,
    // Link-preview tests serve their pages on 127.0.0.1; every other internal address stays refused.
    PREVIEW_ALLOW_HOSTS: '127.0.0.1',
    PREVIEW_DNS_SERVERS: dns.server,
    // Push tests stand in for the browsers' push services with one on 127.0.0.1 (plain http, a loopback address).
    PUSH_ALLOW_HOSTS: '127.0.0.1',
  };
  return {
    oidc,
    facebook,
    smtp,
    dns,
    stackEnv,
    close: () => Promise.all([oidc.close(), facebook.close(), smtp.close(), dns.close()]),
  };
}

/** What a running end-to-end stack offers the suites (see ProvidedContext). */
export function provideStack(
  project: TestProject,
  fakes: Awaited<ReturnType<typeof startFakes>>,
  stack: {
    gatewayUrl: string;
    secondGatewayUrl: string;
    subgraphUrls: RunningStack['subgraphUrls'];
    stackEnv: Record<string, string>;
    dataDir: string;
    webDemoUrl: string;
    /** Each process's origins (several for a scaled stack, whose `/metrics` are added up: see scrape). */
    origins: Record<string, string[]>;
  },
) {
  project.provide('gatewayUrl', stack.gatewayUrl);
  project.provide('secondGatewayUrl', stack.secondGatewayUrl);
  project.provide('userSubgraphUrl', stack.subgraphUrls.user);
  project.provide('messageSubgraphUrl', stack.subgraphUrls.message);
  project.provide('oidcIssuer', fakes.oidc.issuer);
  project.provide('facebookGraphUrl', fakes.facebook.url);
  project.provide('inboxUrl', fakes.smtp.inboxUrl);
  project.provide('dnsQueriesUrl', fakes.dns.queriesUrl);
  project.provide('subgraphUrls', stack.subgraphUrls);
  project.provide('stackEnv', stack.stackEnv);
  project.provide('dataDir', stack.dataDir);
  project.provide('webDemoUrl', stack.webDemoUrl);
  project.provide(
    'metricsUrls',
    Object.fromEntries(
      Object.entries(stack.origins).map(([name, origins]) => [
        name,
        origins.map((origin) => `${origin}/metrics`).join(','),
      ]),
    ),
  );
}

/**
 * Runs `npm start` (the very command of the README) on free ports, with fake sign-in providers, a
 * fake SMTP server and a fake name server; stops it with SIGINT like Ctrl-C, and fails if it does not stop cleanly.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-e2e-'));
  const fakes = await startFakes(dataDir);
  const stackEnv: Record<string, string> = {
    ...fakes.stackEnv,
    // A NATS server of the stack's own, started by `npm start` itself: the integration suites' workers must
    // not answer this installation's events, nor it theirs (events are not namespaced per installation).
    NATS_URL: `nats://127.0.0.1:${await freePort()}`,
  };
  const stack = await runStack(stackEnv, { extraGateways: 1 });
  const origin = (url: string) => url.replace(/\/graphql$/, '');
  provideStack(project, fakes, {
    gatewayUrl: stack.gatewayUrl,
    secondGatewayUrl: stack.gatewayUrls[1]!,
    subgraphUrls: stack.subgraphUrls,
    stackEnv,
    dataDir,
    webDemoUrl: stack.webDemoUrl,
    origins: {
      gateway: [origin(stack.gatewayUrl)],
      'second-gateway': [origin(stack.gatewayUrls[1]!)],
      ...Object.fromEntries(Object.entries(stack.subgraphUrls).map(([name, url]) => [name, [origin(url)]])),
      'media-worker': [stack.workerUrls.mediaWorker],
      'preview-worker': [stack.workerUrls.previewWorker],
    },
  });

  return async () => {
    try {
      await stack.stop();
    } finally {
      await fakes.close();
    }
  };
}

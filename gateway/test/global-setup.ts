import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, repoRoot } from '@letstalk/stack';
import { requireServices, startFakeGraphApi, startFakeOidcIssuer, startFakeSmtp } from '@letstalk/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    userSubgraphUrl: string;
    messageSubgraphUrl: string;
    oidcIssuer: string;
    facebookGraphUrl: string;
    inboxUrl: string;
    dataDir: string;
  }
}

/** How long `npm start` may take to report the stack ready. */
const STACK_START_TIMEOUT_MS = 120_000;


/**
 * Runs `npm start` (the very command of the README) on free ports, with fake sign-in providers and a
 * fake SMTP server, and waits for the gateway's `/readyz`; stops it with SIGINT like Ctrl-C, and fails
 * if it does not stop cleanly.
 */
export default async function setup(project: TestProject) {
  await requireServices();
  const oidc = await startFakeOidcIssuer({ audience: 'letstalk-e2e-app' });
  const facebook = await startFakeGraphApi({ appId: '777', appSecret: 'e2e-secret' });
  const smtp = await startFakeSmtp();
  const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-e2e-'));
  const ports = { GATEWAY_PORT: 0, USER_PORT: 0, MESSAGE_PORT: 0, MEDIA_PORT: 0, PREVIEW_PORT: 0 };
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();

  let output = '';
  const stack = spawn('npm', ['start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([key, value]) => [key, String(value)])),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      EXPLORER: 'true',
      TRUST_PROXY_HOPS: '1',
      AUTH_OIDC_PROVIDERS: JSON.stringify([{ name: 'fake', issuer: oidc.issuer, audience: oidc.audience }]),
      AUTH_ALLOW_INSECURE_ISSUERS: 'true',
      FACEBOOK_APP_ID: facebook.appId,
      FACEBOOK_APP_SECRET: facebook.appSecret,
      FACEBOOK_GRAPH_URL: facebook.url,
      SMTP_URL: smtp.smtpUrl,
    },
  });
  stack.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => stack.once('exit', () => resolve()));

  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
  const deadline = Date.now() + STACK_START_TIMEOUT_MS;
  for (;;) {
    if (stack.exitCode !== null) throw new Error(`npm start exited with ${stack.exitCode}:\n${output}`);
    const ready = await fetch(`${gateway}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the stack was not ready in time:\n${output}`);
    await new Promise((wait) => setTimeout(wait, 300));
  }
  if (!output.includes('LetsTalk is up')) await new Promise((wait) => setTimeout(wait, 500));

  project.provide('gatewayUrl', `${gateway}/graphql`);
  project.provide('userSubgraphUrl', `http://127.0.0.1:${ports.USER_PORT}/graphql`);
  project.provide('messageSubgraphUrl', `http://127.0.0.1:${ports.MESSAGE_PORT}/graphql`);
  project.provide('oidcIssuer', oidc.issuer);
  project.provide('facebookGraphUrl', facebook.url);
  project.provide('inboxUrl', smtp.inboxUrl);
  project.provide('dataDir', dataDir);

  return async () => {
    // Ctrl-C: the whole process group gets SIGINT, as in a terminal.
    process.kill(-stack.pid!, 'SIGINT');
    await exited;
    await Promise.all([oidc.close(), facebook.close(), smtp.close()]);
    const clean = output.includes('[stack]\x1b[0m stopped') && !/\n\s+at |exited \(/.test(output);
    if (!clean) throw new Error(`npm start did not stop cleanly:\n${output.slice(-4000)}`);
  };
}

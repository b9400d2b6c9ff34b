import { spawn } from 'node:child_process';
import { freePort } from './services.ts';
import { repoRoot } from './subgraphs.ts';

/** How long `npm start` may take to report the stack ready. */
export const STACK_START_TIMEOUT_MS = 120_000;

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: { user: string; message: string; media: string; preview: string };
  output: () => string;
  /** Ctrl-C: SIGINT to the whole process group, as in a terminal; rejects unless it stopped cleanly. */
  stop: () => Promise<void>;
}

/**
 * Runs `npm start` (the README's command) on free ports with extra environment, and resolves once the
 * gateway's `/readyz` answers 200. For the end-to-end tests and the benchmarks.
 */
export async function runStack(env: Record<string, string>): Promise<RunningStack> {
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
      ...env,
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
    if (Date.now() > deadline) {
      process.kill(-stack.pid!, 'SIGKILL');
      throw new Error(`the stack was not ready in time:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 300));
  }
  const url = (port: number) => `http://127.0.0.1:${port}/graphql`;
  return {
    gatewayUrl: url(ports.GATEWAY_PORT),
    subgraphUrls: {
      user: url(ports.USER_PORT),
      message: url(ports.MESSAGE_PORT),
      media: url(ports.MEDIA_PORT),
      preview: url(ports.PREVIEW_PORT),
    },
    output: () => output,
    stop: async () => {
      process.kill(-stack.pid!, 'SIGINT');
      await exited;
      const clean = output.includes('[stack]\x1b[0m stopped') && !/\n\s+at |exited \(/.test(output);
      if (!clean) throw new Error(`npm start did not stop cleanly:\n${output.slice(-4000)}`);
    },
  };
}

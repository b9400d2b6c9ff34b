import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, runStack, type RunningStack } from '@letstalk/stack';

/*
 * A stack of its own (own NATS server and databases): one of its processes is killed, which the shared stack's
 * other suites must not see.
 */
let stack: RunningStack;

beforeAll(async () => {
  stack = await runStack({
    ...inject('stackEnv'),
    DATA_DIR: await mkdtemp(join(tmpdir(), 'letstalk-supervision-')),
    NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    USER_DATABASE: 'letstalk_supervision_user',
    MESSAGE_DATABASE: 'letstalk_supervision_message',
    MEDIA_DATABASE: 'letstalk_supervision_media',
    PREVIEW_DATABASE: 'letstalk_supervision_preview',
  });
});

afterAll(async () => {
  await stack?.stop({ crashesExpected: true });
});

/** The process ids under `root` whose command line contains `part` (read from /proc). */
function descendants(root: number, part: string): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const under = (pid: number): boolean => {
    for (let parent = parentOf.get(pid); parent; parent = parentOf.get(parent)) if (parent === root) return true;
    return false;
  };
  return [...parentOf.keys()].filter((pid) => {
    if (!under(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(part);
    } catch {
      return false;
    }
  });
}

const ready = (url: string) =>
  fetch(`${url}/readyz`).then(
    (response) => response.ok,
    () => false,
  );

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen:\n${stack.output().slice(-3000)}`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

describe('npm start supervising its processes', () => {
  it('restarts a process killed with SIGKILL, says so, and the stack serves again without a restart of its own', async () => {
    const gateway = stack.gatewayUrl.replace(/\/graphql$/, '');
    const message = stack.subgraphUrls.message.replace(/\/graphql$/, '');
    const [pid] = descendants(stack.pid, 'subgraphs/message/src/index.ts');
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');

    await until(() => stack.output().includes('message exited (SIGKILL); restarting it in 1 s'), 'the restart notice');
    await until(() => stack.output().includes('message restarted'), 'the restart');
    await until(() => ready(message), 'the message subgraph ready again');
    await until(() => ready(gateway), 'the gateway ready again');
    const [again] = descendants(stack.pid, 'subgraphs/message/src/index.ts');
    expect(again).toBeDefined();
    expect(again).not.toBe(pid);
    expect(stack.output()).not.toContain('stopping everything');
  });
});

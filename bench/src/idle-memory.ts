import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Minter } from '@letstalk/testing';
import { connectAll } from './connect-all.ts';
import { fixed } from './measure.ts';

const IDLE_CONNECTIONS = 20_000;

/** Resident memory of a process, from /proc (Linux). */
const rssBytes = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

/** Open files a process may hold here (`ulimit -Hn`): the idle-connection count cannot exceed it. */
function fileLimit(): number {
  return Number(execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()) || Infinity;
}

/**
 * Memory: idle, authenticated graphql-ws connections on one gateway process (a fresh one), as the growth
 * of its resident memory divided by the connections; each connection is a distinct person.
 */
export async function benchIdleMemory(options: { gatewayUrl: string; gatewayPid: number; mint: Minter }) {
  const connections = Math.min(IDLE_CONNECTIONS, fileLimit() - 500);
  const users = await options.mint(connections, false);
  await new Promise((wait) => setTimeout(wait, 2_000));
  const before = rssBytes(options.gatewayPid);
  const idle = await connectAll(
    { url: options.gatewayUrl.replace(/^http/, 'ws'), protocol: 'graphql-ws' },
    users.map((user) => user.token),
  );
  await new Promise((wait) => setTimeout(wait, 5_000));
  const after = rssBytes(options.gatewayPid);
  const { closed } = await idle.stats(false);
  await idle.close();
  const perConnection = (after - before) / connections;
  console.log(
    `\nmemory: ${connections.toLocaleString('en')} idle authenticated graphql-ws connections on one gateway process${connections < IDLE_CONNECTIONS ? ` (this machine allows ${fileLimit()} open files per process)` : ''}`,
  );
  console.log(
    `  gateway resident memory ${fixed(before / 2 ** 20, 0)} MB → ${fixed(after / 2 ** 20, 0)} MB: ${fixed(perConnection / 1024)} KB per connection (target ≤ 50 KB); ${closed} closed`,
  );
  return { perConnection };
}

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientCommand, ClientReply } from './live-clients.ts';

/** Connections of one benchmark client process (each socket is a file; a process may hold 20,000 here). */
const CLIENTS_PER_PROCESS = 2_500;

/** A benchmark client process, driven over IPC. */
class Clients {
  private readonly child: ChildProcess;
  private readonly replies: ((reply: ClientReply) => void)[] = [];

  constructor() {
    this.child = fork(fileURLToPath(new URL('./live-clients.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
    this.child.on('message', (reply: ClientReply) => this.replies.shift()?.(reply));
  }

  ask<Reply extends ClientReply>(command: ClientCommand): Promise<Reply> {
    return new Promise((resolve) => {
      this.replies.push(resolve as (reply: ClientReply) => void);
      this.child.send(command);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'close' } satisfies ClientCommand);
    });
  }
}

/** Spreads connections over client processes and opens them all. */
export async function connectAll(
  command: Omit<Extract<ClientCommand, { type: 'connect' }>, 'tokens' | 'type'>,
  tokens: string[],
) {
  const processes: Clients[] = [];
  for (let start = 0; start < tokens.length; start += CLIENTS_PER_PROCESS) processes.push(new Clients());
  const replies = await Promise.all(
    processes.map((clients, index) =>
      clients.ask<Extract<ClientReply, { type: 'connected' }>>({
        ...command,
        type: 'connect',
        tokens: tokens.slice(index * CLIENTS_PER_PROCESS, (index + 1) * CLIENTS_PER_PROCESS),
      }),
    ),
  );
  const failures = replies.reduce((sum, reply) => sum + reply.failures, 0);
  if (failures > 0) throw new Error(`${failures} of ${tokens.length} connections failed`);
  const stats = async (reset: boolean) => {
    const all = await Promise.all(
      processes.map((clients) => clients.ask<Extract<ClientReply, { type: 'stats' }>>({ type: 'stats', reset })),
    );
    return {
      deliveries: all.reduce((sum, each) => sum + each.deliveries, 0),
      latenciesMs: all.flatMap((each) => each.latenciesMs),
      sample: all.find((each) => each.sample)?.sample ?? null,
      closed: all.reduce((sum, each) => sum + each.closed, 0),
    };
  };
  return {
    stats,
    /** Resolves when `count` deliveries have arrived since the last reset; fails after `timeoutMs`. */
    async until(count: number, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await stats(false);
        if (current.deliveries >= count) return current;
        if (Date.now() > deadline)
          throw new Error(
            `only ${current.deliveries} of ${count} deliveries arrived (${current.closed} sockets closed)`,
          );
        await new Promise((wait) => setTimeout(wait, 50));
      }
    },
    close: () => Promise.all(processes.map((clients) => clients.close())),
  };
}

import { benchLatency } from './latency.ts';
import type { Sender } from './live-chats.ts';
import { fixed } from './measure.ts';
import type { Minter } from '@letstalk/testing';

/** A stack the latency load runs against: its gateway URL (or balancer's), real senders and minted subscribers. */
export interface LoadTarget {
  gatewayUrl: string;
  senders: Sender[];
  mint: Minter;
}

/**
 * Sizing (issue 19): the latency benchmark's load (2,000 subscribers in groups of 10, 50 senders: capacity, then
 * p50/p99 at half the capacity) against one of every process (`npm start`'s stack, the baseline)
 * and then against two of every process behind HAProxy with a three-node NATS cluster and a MariaDB replica
 * (`startScaled`), on the same machine in the same run. On one machine both share its cores: the ratio says what
 * the second instances, the balancer, the cluster and the replica cost or give here, not what more machines give.
 */
export async function benchSizing(options: {
  single: LoadTarget;
  startScaled: () => Promise<LoadTarget & { stop: () => Promise<void> }>;
}) {
  console.log('\nsizing: one of every process (baseline)');
  const one = await benchLatency({ ...options.single, capacityOnly: true });
  console.log('\nsizing: two of every process behind HAProxy, a three-node NATS cluster, a MariaDB replica');
  const scaled = await options.startScaled();
  let two: Awaited<ReturnType<typeof benchLatency>>;
  try {
    two = await benchLatency({ ...scaled, capacityOnly: true });
  } finally {
    await scaled.stop();
  }
  console.log('\nsizing: capacity with 2,000 live subscribers (sends/s; each message to 10 members)');
  console.log(`  one of each   ${fixed(one.capacity, 0)} sends/s   p99 at half of it ${fixed(one.sustainable.p99)} ms`);
  console.log(
    `  two of each   ${fixed(two.capacity, 0)} sends/s   p99 at half of it ${fixed(two.sustainable.p99)} ms   = ${(two.capacity / one.capacity).toFixed(2)}× the capacity`,
  );
}

import type { FaultName, FaultSuiteOptions, TargetName } from './options.ts';
import type { ChaosSession } from './session.ts';
import { unpublishedEvents } from './stored-state.ts';

/** How long a kill timed to an answered send waits for one before striking anyway. */
const ANSWER_WAIT_MS = 10_000;

/** One fault: how it strikes, how long it is held, how it is healed. */
export interface Fault {
  name: FaultName;
  target: TargetName;
  /** The process it strikes (`message`; on the scale-out stack `message-1`, `nats-2`), and why that one. */
  struck: string;
  why?: string;
  holdMs: number;
  /** Strikes; resolves with a note on what it hit, if any. */
  inject: () => Promise<string | undefined>;
  heal: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/**
 * `kill:<target>`: kill -9, held, then started again with its data (a supervisor's restart). The message
 * subgraph is killed the moment a send is answered, when its outbox relay has just been nudged to publish that
 * send's event: the note says how many events were committed and not yet published when it died.
 * `stall:<target>`: SIGSTOP, held longer than JetStream's ack wait, then SIGCONT. The process struck is the
 * stack's for the target (see ChaosStack.targetFor), chosen now, just before the strike.
 */
export async function faultOf(name: FaultName, session: ChaosSession, options: FaultSuiteOptions): Promise<Fault> {
  const [kind, targetName] = name.split(':') as ['kill' | 'stall', TargetName];
  const { target, why } = await session.stack.targetFor(targetName);
  const chosen = { name, target: targetName, struck: target.name, ...(why ? { why } : {}) };
  if (kind === 'stall') {
    return {
      ...chosen,
      holdMs: options.stallMs,
      inject: async () => {
        target.signal('SIGSTOP');
        return undefined;
      },
      heal: async () => target.signal('SIGCONT'),
    };
  }
  return {
    ...chosen,
    holdMs: options.holdMs,
    inject: async () => {
      if (targetName !== 'message') {
        await target.kill();
        return undefined;
      }
      await Promise.race([session.load.nextAnswer(), sleep(ANSWER_WAIT_MS)]);
      await target.kill();
      return `${await unpublishedEvents(session.stack)} events unpublished at the kill`;
    },
    heal: target.start,
  };
}

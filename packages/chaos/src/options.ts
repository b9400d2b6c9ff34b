import { parseArgs } from 'node:util';

/** The steady load that runs throughout: who sends how much, and who listens. */
export interface LoadOptions {
  messagesPerSecond: number;
  senders: number;
  /** Group chats the senders and subscribers are spread over. */
  chats: number;
  /** Live subscribers, spread over the chats and the two gateways. */
  subscribers: number;
  /** Shares of the messages that carry an uploaded image, and a link to the fake web (the rest is plain text). */
  imageShare: number;
  linkShare: number;
  /**
   * Against the scale-out stack (packages/stack/src/scaled: two of every process behind HAProxy, a three-node
   * NATS cluster, MariaDB with a replica) instead of the suite's one-of-each stack.
   */
  scaled: boolean;
}

/**
 * One process of the stack, or a server it uses: what a fault acts on. On the scale-out stack each names one
 * instance (`message` is `message-1`, `gateway-b` is `gateway-2`, `nats` the node holding most connections,
 * `mariadb` the primary); `replica` is its MariaDB replica, which only the scale-out stack has.
 */
const TARGETS = [
  'gateway-a',
  'gateway-b',
  'user',
  'message',
  'media',
  'preview',
  'media-worker',
  'preview-worker',
  'nats',
  'mariadb',
  'replica',
] as const;
export type TargetName = (typeof TARGETS)[number];

/** `kill:<target>` (kill -9, held, started again with its data) or `stall:<target>` (SIGSTOP, held, SIGCONT). */
export type FaultName = `kill:${TargetName}` | `stall:${TargetName}`;

export interface FaultSuiteOptions extends LoadOptions {
  faults: FaultName[];
  /** How long a killed process stays dead. */
  holdMs: number;
  /** How long a stalled process stays stopped: longer than JetStream's ack wait (30 s), so its events are redelivered. */
  stallMs: number;
  /** Load before the first fault (the baseline of memory and of the checks). */
  warmupMs: number;
  /** Load after a fault has recovered, before its checks. */
  settleMs: number;
  /** Past this after the heal, a fault that has not recovered counts as a failure. */
  recoveryTimeoutMs: number;
  /** How long images and link previews get to settle once a check starts (a job younger than this may run on). */
  jobGraceMs: number;
}

export interface SoakOptions extends LoadOptions {
  durationMs: number;
}

const DEFAULT_LOAD: LoadOptions = {
  messagesPerSecond: 40,
  senders: 20,
  chats: 4,
  subscribers: 200,
  imageShare: 0.05,
  linkShare: 0.1,
  scaled: false,
};

/** Targets only the scale-out stack has. */
const SCALED_ONLY: readonly TargetName[] = ['replica'];

/** Every fault of the suite on the one-of-each stack, one after another. */
const ALL_FAULTS: FaultName[] = [
  ...TARGETS.filter((target) => !SCALED_ONLY.includes(target)).map((target): FaultName => `kill:${target}`),
  'stall:message',
];

/**
 * The faults on the scale-out stack: one instance of each pair killed (the other carries on), a NATS node, the
 * replica, and a message instance stalled. The primary (`kill:mariadb`) may be asked for; it is no pair.
 */
const SCALED_FAULTS: FaultName[] = [
  ...(['gateway-a', 'user', 'message', 'media', 'preview', 'media-worker', 'preview-worker', 'nats'] as const).map(
    (target): FaultName => `kill:${target}`,
  ),
  'kill:replica',
  'stall:message',
];

export const DEFAULT_FAULT_SUITE: FaultSuiteOptions = {
  ...DEFAULT_LOAD,
  faults: ALL_FAULTS,
  holdMs: 10_000,
  stallMs: 40_000,
  warmupMs: 15_000,
  settleMs: 15_000,
  recoveryTimeoutMs: 120_000,
  jobGraceMs: 30_000,
};

const DEFAULT_SOAK: SoakOptions = { ...DEFAULT_LOAD, durationMs: 10 * 60_000 };

const isFault = (name: string): name is FaultName => {
  const [kind, target] = name.split(':');
  return (kind === 'kill' || kind === 'stall') && (TARGETS as readonly string[]).includes(target ?? '');
};

/** `--faults message,stall:message,nats`: a bare target name is its kill. */
function parseFaults(list: string, scaled: boolean): FaultName[] {
  return list.split(',').map((entry) => {
    const name = entry.includes(':') ? entry : `kill:${entry}`;
    if (!isFault(name))
      throw new Error(
        `Unknown fault "${entry}"; faults are kill:<target> or stall:<target>, targets ${TARGETS.join(', ')}.`,
      );
    const target = name.split(':')[1] as TargetName;
    if (!scaled && SCALED_ONLY.includes(target))
      throw new Error(`Fault "${entry}": the one-of-each stack has no ${target}; it needs --scaled.`);
    return name;
  });
}

const number = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} takes a number, not "${value}".`);
  return parsed;
};

const LOAD_FLAGS = {
  rate: { type: 'string' },
  senders: { type: 'string' },
  chats: { type: 'string' },
  subscribers: { type: 'string' },
  images: { type: 'string' },
  links: { type: 'string' },
  scaled: { type: 'boolean' },
} as const;

function loadFrom(
  values: Partial<Record<Exclude<keyof typeof LOAD_FLAGS, 'scaled'>, string>> & { scaled?: boolean },
): LoadOptions {
  return {
    messagesPerSecond: number(values.rate, DEFAULT_LOAD.messagesPerSecond, 'rate'),
    senders: number(values.senders, DEFAULT_LOAD.senders, 'senders'),
    chats: number(values.chats, DEFAULT_LOAD.chats, 'chats'),
    subscribers: number(values.subscribers, DEFAULT_LOAD.subscribers, 'subscribers'),
    imageShare: number(values.images, DEFAULT_LOAD.imageShare, 'images'),
    linkShare: number(values.links, DEFAULT_LOAD.linkShare, 'links'),
    scaled: values.scaled ?? false,
  };
}

/**
 * `npm run chaos [-- --scaled] [--faults a,b] [--rate 40] [--senders 20] [--chats 4] [--subscribers 200] [--images 0.05]
 * [--links 0.1] [--hold 10] [--stall 40] [--warmup 15] [--settle 15]` (times in seconds).
 */
export function parseFaultSuiteOptions(args: string[]): FaultSuiteOptions {
  const { values } = parseArgs({
    args,
    options: {
      ...LOAD_FLAGS,
      faults: { type: 'string' },
      hold: { type: 'string' },
      stall: { type: 'string' },
      warmup: { type: 'string' },
      settle: { type: 'string' },
    },
  });
  const defaults = DEFAULT_FAULT_SUITE;
  const seconds = (value: string | undefined, fallbackMs: number, name: string) =>
    number(value, fallbackMs / 1000, name) * 1000;
  const load = loadFrom(values);
  return {
    ...defaults,
    ...load,
    faults: values.faults ? parseFaults(values.faults, load.scaled) : load.scaled ? SCALED_FAULTS : defaults.faults,
    holdMs: seconds(values.hold, defaults.holdMs, 'hold'),
    stallMs: seconds(values.stall, defaults.stallMs, 'stall'),
    warmupMs: seconds(values.warmup, defaults.warmupMs, 'warmup'),
    settleMs: seconds(values.settle, defaults.settleMs, 'settle'),
  };
}

/** `npm run chaos -- soak [--minutes 10]` and the load flags (`--scaled` among them). */
export function parseSoakOptions(args: string[]): SoakOptions {
  const { values } = parseArgs({ args, options: { ...LOAD_FLAGS, minutes: { type: 'string' } } });
  return {
    ...loadFrom(values),
    durationMs: number(values.minutes, DEFAULT_SOAK.durationMs / 60_000, 'minutes') * 60_000,
  };
}

import { checkRun, type CheckResult } from './checks.ts';
import { faultOf } from './faults.ts';
import { sampleMemory } from './memory.ts';
import type { FaultSuiteOptions } from './options.ts';
import { longestPause, waitForRecovery, type Recovery } from './recovery.ts';
import { startSession, type ChaosSession } from './session.ts';

/** One line of the suite's table: what happened between the check before and the check after a fault. */
export interface FaultRow {
  fault: string;
  /** The process the fault struck (one instance of a pair on the scale-out stack). */
  struck?: string;
  heldMs?: number;
  /** Sends answered, messages stored and deliveries made since the check before. */
  sends: number;
  stored: number;
  delivered: number;
  /** New since the check before: sends answered and not stored, duplicates (stored or delivered), gaps. */
  lost: number;
  duplicates: number;
  gaps: number;
  outOfOrder: number;
  errorPayloads: number;
  /** As the check after found them: jobs not settled, FAILED ones (new), dead letters (new). */
  unsettled: number;
  failedJobs: number;
  deadLetters: number;
  /** New since the check before: link pages and their images fetched again, those no fault explains, images finished twice. */
  refetches: number;
  unexplainedRefetches: number;
  imagesFinishedTwice: number;
  /** From the heal until every process was ready and every subscriber had a message sent after it. */
  recovery?: Recovery;
  /** The longest time from the strike to the recovery in which no send was answered (the service's interruption). */
  pauseMs?: number;
  recovered: boolean;
  /** Processes that died although no fault struck them (started again by the suite). */
  crashed: string[];
  /** Resident MB of each process just before the fault and after its checks. */
  memory: Map<string, { before?: number; after?: number }>;
  notes: string[];
}

export interface FaultSuiteResult {
  rows: FaultRow[];
  /** The last check, after the load stopped and every send was answered. */
  final: CheckResult;
  /** Sends still unanswered after the load stopped and its drain ended. */
  unanswered: number;
  passed: boolean;
}

/** A recovery longer than this is explained in the notes (when processes were ready, sends and deliveries back). */
const SLOW_RECOVERY_MS = 15_000;

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

type Counts = Omit<FaultRow, 'memory' | 'recovered' | 'notes' | 'crashed' | 'struck'>;

/**
 * What a row counts as a problem: anything lost, duplicated, out of order, unsettled or dead-lettered, a fetch
 * done again that no fault explains, an image finished twice. A refetch a fault explains is counted only.
 */
const hasProblems = (row: Counts) =>
  [
    row.lost,
    row.duplicates,
    row.gaps,
    row.outOfOrder,
    row.unsettled,
    row.deadLetters,
    row.unexplainedRefetches,
    row.imagesFinishedTwice,
  ].some((count) => count > 0);

/** A row from the checks before and after it; the after-check's examples are kept when the row has problems. */
function rowOf(fault: string, before: CheckResult | undefined, after: CheckResult): Counts & { notes: string[] } {
  const delta = (read: (check: CheckResult) => number) => read(after) - (before ? read(before) : 0);
  const counts: Counts = {
    fault,
    sends: delta((check) => check.answered),
    stored: delta((check) => check.stored),
    delivered: delta((check) => check.delivered),
    lost: delta((check) => check.lost),
    duplicates: delta((check) => check.storedTwice + check.deliveredTwice + check.strays),
    gaps: delta((check) => check.gaps),
    outOfOrder: delta((check) => check.outOfOrder),
    errorPayloads: delta((check) => check.errorPayloads),
    unsettled: after.unsettled,
    failedJobs: delta((check) => check.failedJobs),
    deadLetters: delta((check) => check.deadLetters.length),
    refetches: delta((check) => check.refetchedPages + check.refetchedImages),
    unexplainedRefetches: delta((check) => check.unexplainedRefetches),
    imagesFinishedTwice: delta((check) => check.imagesFinishedTwice),
  };
  return { ...counts, notes: hasProblems(counts) ? after.examples : [] };
}

const inSeconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

/** `processes ready in 1.2 s, sends answered in 3.0 s, deliveries caught up in 4.1 s`. */
const describeRecovery = (recovery: Recovery) =>
  `processes ready in ${inSeconds(recovery.readyMs)}${recovery.lastReady ? ` (last: ${recovery.lastReady})` : ''}, ` +
  `sends answered in ${inSeconds(recovery.sendsMs)}, ` +
  `deliveries caught up in ${inSeconds(recovery.deliveriesMs)}`;

/** Processes that died although no fault struck them, started again so the suite can go on: `name (how, when)`. */
async function restartCrashed(session: ChaosSession): Promise<string[]> {
  const crashed: string[] = [];
  for (const target of session.stack.targets.values()) {
    const crashes = target.takeCrashes();
    if (crashes.length === 0) continue;
    crashed.push(`${target.name} (${crashes.join(', ')})`);
    await target.start();
  }
  return crashed;
}

async function runFault(
  session: ChaosSession,
  options: FaultSuiteOptions,
  name: FaultSuiteOptions['faults'][number],
  previous: CheckResult,
  say: (line: string) => void,
): Promise<{ row: FaultRow; check: CheckResult }> {
  const fault = await faultOf(name, session, options);
  const before = sampleMemory(session.stack);
  const struckAt = Date.now();
  const window = { target: fault.target, from: struckAt, to: Infinity };
  session.faultWindows.push(window);
  const note = await fault.inject();
  say(
    `${name}: struck ${fault.struck}${fault.why ? ` (${fault.why})` : ''}${note ? ` (${note})` : ''}; held ${fault.holdMs / 1000} s`,
  );
  await sleep(fault.holdMs);
  const healedAt = Date.now();
  const heldMs = healedAt - struckAt;
  // A heal that fails (a NATS node whose streams did not catch up in time) is noted; recovery then says the rest.
  const healFailure = await fault.heal().then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  const crashed = await restartCrashed(session);
  const recovery = await waitForRecovery(session, healedAt, options.recoveryTimeoutMs);
  window.to = Date.now();
  say(`${name}: healed; ${describeRecovery(recovery)}`);
  await sleep(options.settleMs);
  crashed.push(...(await restartCrashed(session)));
  const check = await checkRun(session, options.jobGraceMs);
  const after = sampleMemory(session.stack);
  const memory = new Map([...before].map(([target, mb]) => [target, { before: mb, after: after.get(target) }]));
  const row = {
    ...rowOf(name, previous, check),
    struck: fault.struck,
    heldMs,
    recovery,
    pauseMs: longestPause(session, struckAt, window.to),
    recovered: recovery.totalMs !== undefined,
    crashed,
    memory,
  };
  const slow = recovery.totalMs === undefined || recovery.totalMs > SLOW_RECOVERY_MS;
  row.notes = [
    ...(fault.why ? [`struck ${fault.why}`] : []),
    ...(note ? [note] : []),
    ...(healFailure ? [`heal failed: ${healFailure.split('\n')[0]}`] : []),
    ...(row.refetches > 0
      ? [`${row.refetches} link pages or page images fetched again (${row.unexplainedRefetches} no fault explains)`]
      : []),
    ...crashed.map((process) => `${process} crashed: see its log; started again`),
    ...(slow ? [`recovery: ${describeRecovery(recovery)}`] : []),
    ...row.notes,
  ];
  return { row, check };
}

const failing = (row: FaultRow) => !row.recovered || row.crashed.length > 0 || hasProblems(row);

/**
 * The fault suite: under steady load, a baseline check, then each fault in turn (struck, held, healed, waited
 * on until recovered, settled, checked), then the load is stopped, every send answered, and a last check made.
 * Passes when nothing was lost or duplicated, every job settled, no event was dead-lettered, no page was fetched
 * again and no image finished again but where a fault explains it, every fault recovered and no process crashed.
 */
export async function runFaultSuite(
  options: FaultSuiteOptions,
  say: (line: string) => void = console.log,
): Promise<FaultSuiteResult> {
  const session = await startSession(options, say);
  try {
    await sleep(options.warmupMs);
    const baseline = await checkRun(session, options.jobGraceMs);
    const rows: FaultRow[] = [
      { ...rowOf('baseline', undefined, baseline), recovered: true, crashed: [], memory: new Map() },
    ];
    say(`baseline: ${baseline.answered} sends answered, ${baseline.delivered} deliveries`);
    let previous = baseline;
    for (const name of options.faults) {
      const { row, check } = await runFault(session, options, name, previous, say);
      rows.push(row);
      previous = check;
    }
    await session.stopLoad();
    const final = await checkRun(session, options.jobGraceMs);
    rows.push({ ...rowOf('load stopped', previous, final), recovered: true, crashed: [], memory: new Map() });
    const unanswered = session.load.sends.filter((send) => send.answeredAt === undefined).length;
    if (unanswered > 0) rows.at(-1)!.notes.push(`${unanswered} sends never answered`);
    const passed =
      unanswered === 0 &&
      !rows.some(failing) &&
      final.lost +
        final.gaps +
        final.storedTwice +
        final.deliveredTwice +
        final.unexplainedRefetches +
        final.imagesFinishedTwice ===
        0;
    return { rows, final, unanswered, passed };
  } finally {
    await session.close();
  }
}

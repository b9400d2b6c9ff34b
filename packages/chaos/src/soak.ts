import { checkRun, type CheckResult } from './checks.ts';
import { latenciesOf, type Latencies } from './latency-window.ts';
import { sampleMemory } from './memory.ts';
import type { SoakOptions } from './options.ts';
import { formatTable } from './report.ts';
import { startSession } from './session.ts';

/** Readings are taken once a minute (or once, for a soak shorter than a minute). */
const WINDOW_MS = 60_000;
/** How long the final check gives images and previews to settle. */
const JOB_GRACE_MS = 30_000;

interface Window {
  endsAtMs: number;
  /** Sends answered in the window, and how long they took from their first try to their answer. */
  answers: Latencies;
  /** Deliveries in the window, and how long after their send's first try they arrived. */
  deliveries: Latencies;
  memory: Map<string, number | undefined>;
}

export interface SoakResult {
  windows: Window[];
  /** Least-squares slope of each process's resident memory, MB per minute. */
  slopes: Map<string, number>;
  final: CheckResult;
  passed: boolean;
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  const covariance = points.reduce((sum, point) => sum + (point.x - meanX) * (point.y - meanY), 0);
  const variance = points.reduce((sum, point) => sum + (point.x - meanX) ** 2, 0);
  return covariance / variance;
}

/**
 * `npm run chaos -- soak`: the same load with no fault for `durationMs`; every minute the send→answer and
 * send→receive latencies and each process's resident memory, then the slope of each process's memory and the usual checks.
 */
export async function runSoak(options: SoakOptions, say: (line: string) => void = console.log): Promise<SoakResult> {
  const session = await startSession(options, say);
  try {
    const windowMs = Math.min(WINDOW_MS, options.durationMs);
    const windows: Window[] = [];
    const startedAt = Date.now();
    session.latency.take();
    for (let end = windowMs; end <= options.durationMs; end += windowMs) {
      await sleep(startedAt + end - Date.now());
      const from = startedAt + end - windowMs;
      const answerTimes = session.load.sends.flatMap((send) =>
        send.answeredAt !== undefined && send.answeredAt > from ? [send.answeredAt - send.firstAttemptAt] : [],
      );
      const window = {
        endsAtMs: end,
        answers: latenciesOf(answerTimes),
        deliveries: session.latency.take(),
        memory: sampleMemory(session.stack),
      };
      windows.push(window);
      say(
        `${(end / 60_000).toFixed(1)} min: ${window.answers.count} sends (p99 ${window.answers.p99.toFixed(0)} ms), ` +
          `${window.deliveries.count} deliveries (p99 ${window.deliveries.p99.toFixed(0)} ms)`,
      );
    }
    await session.stopLoad();
    const final = await checkRun(session, JOB_GRACE_MS);
    const names = [...(windows[0]?.memory.keys() ?? [])];
    const slopes = new Map(
      names.map((name) => [
        name,
        slope(
          windows.flatMap((window) => {
            const mb = window.memory.get(name);
            return mb === undefined ? [] : [{ x: window.endsAtMs / 60_000, y: mb }];
          }),
        ),
      ]),
    );
    const passed =
      final.lost +
        final.gaps +
        final.storedTwice +
        final.deliveredTwice +
        final.unsettled +
        final.deadLetters.length +
        final.unexplainedRefetches +
        final.imagesFinishedTwice ===
      0;
    return { windows, slopes, final, passed };
  } finally {
    await session.close();
  }
}

export function formatSoak(result: SoakResult): string {
  const latency = formatTable(
    ['minute', 'sends', 'answer p50 ms', 'answer p99 ms', 'deliveries', 'receive p50 ms', 'receive p99 ms'],
    result.windows.map((window) => [
      (window.endsAtMs / 60_000).toFixed(1),
      String(window.answers.count),
      window.answers.p50.toFixed(0),
      window.answers.p99.toFixed(0),
      String(window.deliveries.count),
      window.deliveries.p50.toFixed(0),
      window.deliveries.p99.toFixed(0),
    ]),
  );
  const first = result.windows[0];
  const last = result.windows.at(-1);
  const memory = formatTable(
    ['process', 'first MB', 'last MB', 'MB/min'],
    [...result.slopes].map(([name, mbPerMinute]) => [
      name,
      first?.memory.get(name)?.toFixed(0) ?? '-',
      last?.memory.get(name)?.toFixed(0) ?? '-',
      mbPerMinute.toFixed(2),
    ]),
  );
  const { final } = result;
  const summary =
    `${final.answered} sends answered, lost ${final.lost}, duplicates ${final.storedTwice + final.deliveredTwice}, ` +
    `gaps ${final.gaps}, unsettled ${final.unsettled}, dead letters ${final.deadLetters.length}, ` +
    `pages or page images fetched twice ${final.unexplainedRefetches}, images finished twice ${final.imagesFinishedTwice}`;
  return [latency, '', memory, '', ...final.examples, summary, result.passed ? 'PASSED' : 'FAILED'].join('\n');
}

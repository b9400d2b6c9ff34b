import { readFile } from 'node:fs/promises';
import { buildSchema } from 'graphql';
import { repoRoot } from '@letstalk/stack';
import { caseAt, fuzzCaseArbitrary } from './cases.ts';
import { checkHttp, checkWs } from './check.ts';
import { testFiles, uploadSeedImage } from './files.ts';
import { OperationGenerator } from './operations.ts';
import { outcomeOfHttp, outcomeOfWs } from './outcome.ts';
import { seedPeople, Sessions, type SignInSetup } from './people.ts';
import { describeCase, describeHttpAnswer, describeWsAnswer, shorten } from './describe.ts';
import { closeHttpAgent, resolveHttp, sendHttp, sendRawBytes, sendRawRequest } from './send-http.ts';
import { playWebSocket } from './send-ws.ts';
import type { FuzzCase } from './types.ts';

export interface FuzzPassOptions extends SignInSetup {
  seed: number;
  /** Cases 0 … count-1 of the seed, or only those listed in `cases` (to reproduce one). */
  count: number;
  cases?: number[];
  /** Cases in flight at once. */
  concurrency?: number;
  /** Checked every 100 cases and at the end: a text (a process exited, say) stops the pass as a defect. */
  watch?: () => string | undefined;
  log?: (line: string) => void;
}

interface Defect {
  index: number;
  kind: string;
  field?: string;
  problems: string[];
  /** The request as sent, and what came back: enough to send it again by hand. */
  request: string;
  answer: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  byTransport: Record<string, number>;
  /** Generated operations per root type (query, mutation, subscription), whatever the transport. */
  byOperation: Record<string, number>;
  /** What the cases came to: `data`, the first error's code, a close (see outcome.ts). */
  byOutcome: Record<string, number>;
  /** Cases node:http would not write (an invalid header), or a head over Node's 16 KiB cut while written: no defect. */
  unsent: number;
  durationMs: number;
  slowest: { index: number; kind: string; ms: number }[];
  defects: Defect[];
  stoppedBy?: string;
}

const count = (tally: Record<string, number>, key: string) => (tally[key] = (tally[key] ?? 0) + 1);

/** The client address of case `index` (the gateway trusts one proxy hop): per-address limits stay out of the way. */
const clientIpOf = (prefix: string, index: number) => `${prefix}.${(index >> 8) & 255}.${index & 255}`;

/**
 * Runs the fuzz pass against a running gateway: signs in its people through the fake OIDC issuer, makes the
 * chats and messages whose ids the generator draws from, then sends each case and checks its answer.
 */
export async function runFuzzPass(options: FuzzPassOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => {});
  const prefix = `10.${100 + (Math.abs(options.seed) % 100)}`;
  const schema = buildSchema(await readFile(`${repoRoot}/schema/api.graphql`, 'utf8'));
  const { people, pools } = await seedPeople(options, 3, `${prefix}.255`);
  const files = await testFiles(options.seed);
  const imageId = await uploadSeedImage(options.gatewayUrl, people[0]!.accessToken, files.png, `${prefix}.255.201`);
  if (imageId) pools.imageIds.push(imageId);
  const sessions = new Sessions(options, people);
  const arbitrary = fuzzCaseArbitrary(new OperationGenerator(schema, pools), pools);
  const report: FuzzReport = {
    seed: options.seed,
    cases: 0,
    byTransport: {},
    byOperation: {},
    byOutcome: {},
    unsent: 0,
    durationMs: 0,
    slowest: [],
    defects: [],
  };
  const indices = options.cases ?? Array.from({ length: options.count }, (_, index) => index);
  const started = Date.now();
  let next = 0;

  const tokenFor = async (fuzzCase: FuzzCase, ip: string): Promise<string> => {
    if (!('auth' in fuzzCase)) return '';
    const { auth } = fuzzCase;
    if (auth.as === 'user') return sessions.tokenOf(auth.person);
    if (auth.as === 'fresh') return sessions.fresh(ip);
    return auth.as === 'header' ? sessions.tokenOf(0) : '';
  };

  const runCase = async (index: number) => {
    const fuzzCase = caseAt(arbitrary, options.seed, index);
    const clientIp = clientIpOf(prefix, index);
    const token = await tokenFor(fuzzCase, clientIp);
    const requestText = describeCase(fuzzCase, { token, files, clientIp });
    const begun = Date.now();
    let problems: string[];
    let answer: string;
    if (fuzzCase.kind === 'ws') {
      const observation = await playWebSocket({ url: options.gatewayUrl, ...fuzzCase, token, clientIp });
      problems = checkWs(observation, requestText);
      answer = describeWsAnswer(observation);
      count(report.byOutcome, outcomeOfWs(observation));
    } else {
      const resolved = resolveHttp(fuzzCase, { gatewayUrl: options.gatewayUrl, clientIp, token, files });
      const observation = resolved
        ? await sendHttp(options.gatewayUrl, resolved)
        : fuzzCase.kind === 'raw-http'
          ? await sendRawRequest(options.gatewayUrl, fuzzCase, clientIp)
          : await sendRawBytes(options.gatewayUrl, fuzzCase.kind === 'raw-bytes' ? fuzzCase.text : '');
      if (observation.status === -1) report.unsent += 1;
      const path = resolved?.path ?? (fuzzCase.kind === 'raw-http' ? fuzzCase.target : '');
      problems = checkHttp(observation, { path, requestText, raw: !resolved });
      answer = describeHttpAnswer(observation);
      count(report.byOutcome, outcomeOfHttp(observation));
    }
    const ms = Date.now() - begun;
    report.cases += 1;
    count(report.byTransport, fuzzCase.kind);
    const op = 'op' in fuzzCase ? fuzzCase.op : undefined;
    if (op) count(report.byOperation, op.operation);
    report.slowest.push({ index, kind: fuzzCase.kind, ms });
    report.slowest.sort((a, b) => b.ms - a.ms).splice(5);
    if (problems.length > 0) {
      const defect: Defect = { index, kind: fuzzCase.kind, problems, request: shorten(requestText, 6_000), answer };
      if (op) defect.field = `${op.operation} ${op.field}`;
      report.defects.push(defect);
      log(`DEFECT in case ${index} (${fuzzCase.kind}${op ? ` ${op.field}` : ''}): ${problems.join('; ')}`);
    }
  };

  const worker = async () => {
    while (next < indices.length && report.stoppedBy === undefined) {
      const position = next;
      next += 1;
      const index = indices[position]!;
      try {
        await runCase(index);
      } catch (error) {
        report.defects.push({
          index,
          kind: 'pass',
          problems: [`the pass itself failed on this case: ${(error as Error).stack ?? String(error)}`],
          request: '',
          answer: '',
        });
      }
      if (position % 100 === 99) {
        const stop = options.watch?.();
        if (stop) report.stoppedBy = stop;
      }
      if (position % 500 === 499) log(`${position + 1}/${indices.length} cases, ${report.defects.length} defects`);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
    const stop = options.watch?.();
    if (stop) report.stoppedBy ??= stop;
  } finally {
    closeHttpAgent();
  }
  report.durationMs = Date.now() - started;
  return report;
}

import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportPKCS8, generateKeyPair } from 'jose';
import { runStack } from '@letstalk/stack';
import { requireServices, startFakeDns, startFakeOidcIssuer } from '@letstalk/testing';
import { runFuzzPass } from './pass.ts';
import { formatReport } from './report.ts';
import { checkStillServes } from './serving.ts';

export { runFuzzPass } from './pass.ts';
export { formatReport } from './report.ts';
export { checkStillServes } from './serving.ts';

/** The stack's own databases: the pass writes odd strings and leaves people behind. */
const FUZZ_DATABASES = {
  USER_DATABASE: 'letstalk_fuzz_user',
  MESSAGE_DATABASE: 'letstalk_fuzz_message',
  MEDIA_DATABASE: 'letstalk_fuzz_media',
  PREVIEW_DATABASE: 'letstalk_fuzz_preview',
};
const PROVIDER = 'fuzz';
const DEFAULT_CASES = 10_000;

/** Log lines at error level or above (pino's JSON, or a line naming an internal error). */
const loggedErrors = (output: string) =>
  output.split('\n').filter((line) => /"level":(50|60)\b|internal error|Unhandled|uncaught/i.test(line));

/**
 * `npm run chaos -- fuzz [--seed N] [--count N] [--case I ...] [--concurrency N]`: starts the stack with
 * `npm start` in production mode on free ports (databases `letstalk_fuzz_*`), runs the fuzz pass against it,
 * checks that no process exited and that it still serves, prints the report, and resolves whether it passed
 * (the signature of a mode of `packages/chaos/src/run.ts`).
 */
export async function runFuzzMode(args: string[]): Promise<boolean> {
  const { values } = parseArgs({
    args,
    options: {
      seed: { type: 'string' },
      count: { type: 'string' },
      case: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
    },
  });
  const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
  const cases = values.case?.map(Number);
  const count = Number(values.count ?? DEFAULT_CASES);
  const again = `npm run chaos -- fuzz --seed ${seed}${count === DEFAULT_CASES ? '' : ` --count ${count}`}`;
  console.log(`[fuzz] seed ${seed} (again: ${again})`);

  await requireServices();
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const oidc = await startFakeOidcIssuer({ audience: 'letstalk-fuzz' });
  // Links in fuzzed messages name hosts nobody answers for: no query leaves 127.0.0.1.
  const dns = await startFakeDns({});
  const stack = await runStack({
    NODE_ENV: 'production',
    AUTH_PRIVATE_KEY: await exportPKCS8(privateKey),
    MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'letstalk-fuzz-')),
    TRUST_PROXY_HOPS: '1',
    AUTH_OIDC_PROVIDERS: JSON.stringify([{ name: PROVIDER, issuer: oidc.issuer, audience: oidc.audience }]),
    AUTH_ALLOW_INSECURE_ISSUERS: 'true',
    PREVIEW_DNS_SERVERS: dns.server,
    ...FUZZ_DATABASES,
  });
  const outputBefore = stack.output().length;
  const exited = () => {
    const line = stack
      .output()
      .split('\n')
      .find((text) => text.includes('exited ('));
    return line ? `a process of the stack exited: ${line.trim()}` : undefined;
  };
  const problems: string[] = [];
  try {
    const setup = { gatewayUrl: stack.gatewayUrl, oidcIssuer: oidc.issuer, provider: PROVIDER };
    const report = await runFuzzPass({
      ...setup,
      seed,
      count,
      ...(cases ? { cases } : {}),
      ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
      watch: exited,
      log: (line) => console.log(`[fuzz] ${line}`),
    });
    try {
      await checkStillServes(setup, '10.99.99');
    } catch (error) {
      problems.push(`the stack no longer serves: ${(error as Error).message}`);
    }
    const errors = loggedErrors(stack.output().slice(outputBefore));
    if (errors.length > 0)
      problems.push(`${errors.length} error lines in the stack's log:\n${errors.slice(0, 20).join('\n')}`);
    console.log(
      formatReport(report, [
        'checks after the pass: ' +
          (problems.length === 0 ? 'no process exited, still serves, no error logged' : 'FAILED'),
      ]),
    );
    if (report.defects.length > 0 || report.stoppedBy) problems.push(`${report.defects.length} defects`);
  } finally {
    try {
      await stack.stop();
    } catch (error) {
      problems.push((error as Error).message.slice(0, 4000));
    }
    await oidc.close();
    await dns.close();
  }
  for (const problem of problems) console.log(`[fuzz] FAILED: ${problem}`);
  return problems.length === 0;
}

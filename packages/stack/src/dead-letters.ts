/**
 * `npm run dead-letters`: the events a consumer gave up on (LETSTALK_DEAD_LETTERS), and replaying them once
 * what made them fail is fixed. Reads NATS_URL (and .env, like npm start).
 *
 *   npm run dead-letters                          list them (oldest first)
 *   npm run dead-letters -- --subject message.created
 *   npm run dead-letters -- replay 12 15          replay these (for the consumer that gave up only)
 *   npm run dead-letters -- replay --all          replay every one listed
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exitOnConfigError, loadConfig, natsUrl } from '@letstalk/config';
import { connectNats, listDeadLetters, replayDeadLetter, type DeadLetter } from '@letstalk/events';
import { repoRoot } from './subgraphs.ts';

if (existsSync(join(repoRoot, '.env'))) process.loadEnvFile(join(repoRoot, '.env'));
const env = (() => {
  try {
    return loadConfig('npm run dead-letters', { NATS_URL: natsUrl });
  } catch (error) {
    return exitOnConfigError(error);
  }
})();

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { subject: { type: 'string' }, all: { type: 'boolean', default: false } },
});
const [command = 'list', ...seqs] = positionals;

const line = (letter: DeadLetter) =>
  [
    String(letter.seq).padStart(6),
    letter.storedAt.toISOString(),
    letter.subject.padEnd(28),
    (letter.durable ?? '(every consumer)').padEnd(40),
    letter.reason,
  ].join('  ');

const nc = await connectNats(env.NATS_URL, 'dead-letters');
try {
  const letters = await listDeadLetters(nc, values.subject ? { subject: values.subject } : {});
  if (command === 'list') {
    console.log(letters.length ? letters.map(line).join('\n') : 'No dead letters.');
  } else if (command === 'replay') {
    const chosen = values.all ? letters.map((letter) => letter.seq) : seqs.map(Number);
    if (chosen.length === 0 || chosen.some((seq) => !Number.isSafeInteger(seq) || seq < 1)) {
      throw new Error('Name the dead letters to replay by their numbers (the first column), or --all.');
    }
    for (const seq of chosen) console.log(`replayed ${line(await replayDeadLetter(nc, seq))}`);
  } else {
    throw new Error(`Unknown command "${command}": list (the default) or replay.`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await nc.close();
}

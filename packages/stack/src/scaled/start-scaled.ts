import { resolve } from 'node:path';
import { commonEnv, exitOnConfigError, loadConfig } from '@letstalk/config';
import { repoRoot } from '../subgraphs.ts';
import { runScaledStack } from './run-scaled.ts';

/**
 * `npm run stack:scaled`: the scale-out stack of runScaledStack on this machine (two of every process behind
 * HAProxy, a three-node NATS cluster, MariaDB with a replica), with its data under DATA_DIR/scaled; Ctrl-C stops it.
 */
const env = (() => {
  try {
    return loadConfig('npm run stack:scaled', { DATA_DIR: commonEnv.DATA_DIR, LOG_LEVEL: commonEnv.LOG_LEVEL });
  } catch (error) {
    return exitOnConfigError(error);
  }
})();
const say = (line: string) => console.log(`\x1b[1m[scaled]\x1b[0m ${line}`);

say('starting a three-node NATS cluster, MariaDB with a replica, two of every process and HAProxy…');
const stack = await runScaledStack(
  { LOG_LEVEL: env.LOG_LEVEL },
  {
    dataDir: resolve(repoRoot, env.DATA_DIR, 'scaled'),
    webDemo: true,
    onOutput: (name, text) => {
      for (const line of text.trimEnd().split('\n')) console.log(`[${name}] ${line}`);
    },
  },
);
say(`LetsTalk is up, scaled out.`);
say(`  GraphQL through the balancer: ${stack.gatewayUrl}`);
for (const [name, url] of Object.entries(stack.subgraphUrls)) say(`  ${name} subgraph (balanced): ${url}`);
if (stack.webDemoUrl) say(`  web demo: ${stack.webDemoUrl}`);
say(`  NATS cluster: ${stack.nats.url}`);
say(`  MariaDB primary: ${stack.database.primary.url}  replica: ${stack.database.replica.url}`);
say(`  processes: ${stack.processes.map((process) => process.name).join(', ')}`);
say('Press Ctrl-C to stop.');
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say('stopping');
    void stack.stop().then(() => {
      say('stopped');
      process.exit(0);
    });
  });
}

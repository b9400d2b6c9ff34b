import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { runScaledStack } from '../../packages/stack/src/scaled/run-scaled.ts';
import { provideStack, startFakes } from './global-setup.ts';

/**
 * The end-to-end suite's stack scaled out (`npm run test:e2e:scaled`): runScaledStack (two of every process behind
 * HAProxy, three NATS nodes, MariaDB with a replica) with the same fakes and settings as `npm start`'s, clients
 * going through the balancer. `secondGatewayUrl` is the second gateway itself; the subgraph URLs are their
 * balancers; each process's `/metrics` are both instances', added up. Each process's output is kept under
 * `.data/e2e-scaled-logs/<run>/`.
 */
export default async function setup(project: TestProject) {
  const runDir = await mkdtemp(join(tmpdir(), 'letstalk-e2e-scaled-'));
  const fakes = await startFakes(join(runDir, 'shared'));
  // Each process's output, kept after the run (the stack's data is not).
  const logDir = fileURLToPath(new URL(`../../.data/e2e-scaled-logs/${basename(runDir)}/`, import.meta.url));
  await mkdir(logDir, { recursive: true });
  const stack = await runScaledStack(fakes.stackEnv, {
    dataDir: runDir,
    webDemo: true,
    onOutput: (name, text) => appendFileSync(join(logDir, `${name}.log`), text),
  });
  const origins: Record<string, string[]> = {};
  for (const process of stack.processes) {
    const name = process.name.replace(/-\d+$/, '');
    (origins[name] ??= []).push(process.origin);
  }
  const gateways = origins['gateway']!;
  provideStack(project, fakes, {
    gatewayUrl: stack.gatewayUrl,
    secondGatewayUrl: `${gateways[1]!}/graphql`,
    subgraphUrls: stack.subgraphUrls,
    // What a test that starts a process of its own needs of this stack (its NATS), beside the fakes' settings.
    stackEnv: { ...fakes.stackEnv, NATS_URL: stack.env['NATS_URL']! },
    dataDir: stack.env['DATA_DIR']!,
    webDemoUrl: stack.webDemoUrl!,
    origins: { ...origins, 'second-gateway': [gateways[1]!] },
  });
  return async () => {
    try {
      await stack.stop();
    } finally {
      await fakes.close();
      await rm(runDir, { recursive: true, force: true });
    }
  };
}

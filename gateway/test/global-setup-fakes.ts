import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFakes } from './global-setup.ts';

/**
 * Only the end-to-end suite's fakes (sign-in providers, SMTP, a name server) and their settings (`stackEnv`), for a
 * suite that runs a stack of its own (gateway/test/scaled-stack.test.ts).
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'letstalk-fakes-'));
  const fakes = await startFakes(dataDir);
  project.provide('inboxUrl', fakes.smtp.inboxUrl);
  project.provide('oidcIssuer', fakes.oidc.issuer);
  project.provide('stackEnv', fakes.stackEnv);
  return async () => {
    await fakes.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}

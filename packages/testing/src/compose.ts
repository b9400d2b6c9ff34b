import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@letstalk/stack';

/** One service of the resolved docker-compose.yml, as far as the tests read it. */
export interface ComposeService {
  environment?: Record<string, string | number | boolean | null>;
  build?: { target?: string };
  profiles?: string[];
  depends_on?: Record<string, unknown>;
  /** `host_ip:published:target/protocol` (docker-compose 1.x) or the long form (compose v2). */
  ports?: (string | { host_ip?: string; published: number | string; target: number })[];
}

const INSTALL_COMPOSE =
  'docker-compose is not installed: apt-get install docker-compose (Debian/Ubuntu; .ci/run installs it). ' +
  'It only reads the file here; no Docker engine is needed.';

/**
 * A compose file (docker-compose.yml by default) as `docker-compose config` resolves it with exactly `variables` (nothing of this
 * process's environment, nor a `.env` file, takes part), parsed. Debian's docker-compose 1.x prints YAML only.
 */
export function resolvedCompose(
  variables: Record<string, string>,
  file = 'docker-compose.yml',
): Record<string, ComposeService> {
  const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'letstalk-compose-')), '.env');
  writeFileSync(emptyEnvFile, '');
  const result = spawnSync(
    'docker-compose',
    ['--project-directory', repoRoot, '-f', join(repoRoot, file), '--env-file', emptyEnvFile, 'config'],
    { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...variables } },
  );
  if (result.error) throw new Error(INSTALL_COMPOSE);
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  return (parse(result.stdout) as { services: Record<string, ComposeService> }).services;
}

/** A service's environment as strings (the YAML has numbers and booleans where the values look like them). */
export const environmentOf = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value ?? '')]));

/**
 * The Dockerfile's build targets with the entry each runs (`FROM runtime AS gateway` ... `CMD ["gateway/src/index.ts"]`),
 * and the package.json files its dependency stage copies.
 */
export function dockerfile(): { targets: Map<string, string>; copiedPackageFiles: string[] } {
  const text = readFileSync(join(repoRoot, 'packages/stack/Dockerfile'), 'utf8');
  const targets = new Map<string, string>();
  for (const [, target, entry] of text.matchAll(/^FROM runtime AS ([\w-]+)\s*\n(?:.*\n)*?CMD \["([^"]+)"\]/gm)) {
    targets.set(target!, entry!);
  }
  const copiedPackageFiles = [...text.matchAll(/^COPY (\S+\/package\.json) /gm)].map(([, path]) => path!);
  return { targets, copiedPackageFiles };
}

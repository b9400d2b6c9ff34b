import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EnvSpec } from '@letstalk/config';
import { mediaEnvSpec, mediaWorkerEnvSpec } from '@letstalk/media-subgraph/src/env.ts';
import { messageEnvSpec } from '@letstalk/message-subgraph/src/env.ts';
import { previewEnvSpec, previewWorkerEnvSpec } from '@letstalk/preview-subgraph/src/env.ts';
import { repoRoot } from '@letstalk/stack';
import { dockerfile, environmentOf, resolvedCompose } from '@letstalk/testing';
import { userEnvSpec } from '@letstalk/user-subgraph/src/env.ts';
import { gatewayEnvSpec } from '../src/env.ts';
import { PRODUCTION_SETTINGS } from './compose-settings.ts';

/** Each LetsTalk service of docker-compose.yml, and what its config module reads. */
const SPECS: Record<string, EnvSpec> = {
  gateway: gatewayEnvSpec,
  user: userEnvSpec,
  message: messageEnvSpec,
  media: mediaEnvSpec,
  'media-worker': mediaWorkerEnvSpec,
  preview: previewEnvSpec,
  'preview-worker': previewWorkerEnvSpec,
};

describe('docker-compose.yml', () => {
  const services = resolvedCompose(PRODUCTION_SETTINGS);

  it('passes every LetsTalk service exactly the variables its config module reads', () => {
    const built = Object.keys(services).filter((name) => services[name]!.build);
    expect(built.sort()).toEqual(Object.keys(SPECS).sort());
    for (const [name, spec] of Object.entries(SPECS)) {
      const environment = environmentOf(services[name]!);
      expect({ name, variables: Object.keys(environment).sort() }).toEqual({
        name,
        variables: [...spec.variables].sort(),
      });
      const unset = spec.requiredInProduction.filter((variable) => !environment[variable]);
      expect({ name, unset }).toEqual({ name, unset: [] });
      expect({ name, NODE_ENV: environment.NODE_ENV }).toEqual({ name, NODE_ENV: 'production' });
    }
  });

  it('has every variable of every service documented in .env.example', () => {
    const example = readFileSync(join(repoRoot, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map(([, name]) => name));
    const undocumented = [...new Set(Object.values(SPECS).flatMap((spec) => spec.variables))].filter(
      (variable) => !documented.has(variable) && !example.includes(`# ${variable}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('runs what npm start needs from docker-compose.dev.yml with no settings at all, on loopback only', () => {
    const services = resolvedCompose({}, 'docker-compose.dev.yml');
    expect(Object.keys(services).sort()).toEqual(['mysql-dev', 'nats-dev']);
    const published = Object.values(services).flatMap((service) => service.ports ?? []);
    const hostAndPort = (port: (typeof published)[number]) =>
      typeof port === 'string' ? port.split(':').slice(0, 2).join(':') : `${port.host_ip}:${port.published}`;
    expect(published.map(hostAndPort).sort()).toEqual(['127.0.0.1:3306', '127.0.0.1:4222']);
  });

  it('refuses to resolve without the secrets production needs, naming the first one missing', () => {
    const { MEDIA_URL_SECRET: _secret, ...withoutSecret } = PRODUCTION_SETTINGS;
    expect(() => resolvedCompose(withoutSecret)).toThrow(/MEDIA_URL_SECRET/);
  });

  it('builds each service from a target of the Dockerfile whose entry exists, with every workspace installed', () => {
    const { targets, copiedPackageFiles } = dockerfile();
    for (const name of Object.keys(SPECS)) {
      const entry = targets.get(services[name]!.build!.target!);
      expect({ name, entry, exists: entry !== undefined && existsSync(join(repoRoot, entry)) }).toEqual({
        name,
        entry: expect.any(String),
        exists: true,
      });
    }
    // npm ci checks the lockfile against every workspace: each one's package.json must be in the image.
    const workspaces = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] })
      .workspaces;
    const packageFiles = workspaces.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(join(repoRoot, pattern.slice(0, -2)))
            .map((folder) => `${pattern.slice(0, -2)}/${folder}/package.json`)
            .filter((path) => existsSync(join(repoRoot, path)))
        : [`${pattern}/package.json`],
    );
    expect(copiedPackageFiles.sort()).toEqual(packageFiles.sort());
  });
});

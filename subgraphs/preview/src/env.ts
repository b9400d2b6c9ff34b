import { envSpec, loadConfig, previewFetchEnv, subgraphEnv, workerEnv, z } from '@letstalk/config';

const seconds = (defaultSeconds: number) => z.coerce.number().int().min(1).default(defaultSeconds);

const shape = subgraphEnv('PREVIEW', 4004);

const workerShape = {
  ...workerEnv('PREVIEW', 4014),
  ...previewFetchEnv,
  /** How long a page's preview is used before a new message with its link has it fetched again. */
  PREVIEW_CACHE_TTL_SECONDS: seconds(24 * 60 * 60),
  /** The same for a page that could not be previewed: shorter, so a site that was down gets another chance. */
  PREVIEW_FAILURE_TTL_SECONDS: seconds(10 * 60),
};

const requiredInProduction = { DATABASE_URL: 'mysql://user:password@host:3306' };

/** What the preview subgraph and the preview worker read (docker-compose.yml passes each exactly these). */
export const previewEnvSpec = envSpec(shape, requiredInProduction);
export const previewWorkerEnvSpec = envSpec(workerShape, requiredInProduction);

export type PreviewEnv = ReturnType<typeof loadPreviewEnv>;
export type PreviewWorkerEnv = ReturnType<typeof loadPreviewWorkerEnv>;

/** Every variable the preview subgraph reads, validated at boot. */
export function loadPreviewEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('preview subgraph', shape, env, { requiredInProduction });
}

/** Every variable the preview worker reads, validated at boot. */
export function loadPreviewWorkerEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('preview worker', workerShape, env, { requiredInProduction });
}

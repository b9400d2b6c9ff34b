import { listenEnv, loadConfig, previewFetchEnv, subgraphEnv, z } from '@letstalk/config';

const seconds = (defaultSeconds: number) => z.coerce.number().int().min(1).default(defaultSeconds);

const shape = {
  ...subgraphEnv('PREVIEW', 4004),
  ...previewFetchEnv,
  /** The preview worker's health endpoints (`/healthz`, `/readyz`). */
  ...listenEnv('PREVIEW_WORKER', 4014),
  /** How long a page's preview is used before a new message with its link has it fetched again. */
  PREVIEW_CACHE_TTL_SECONDS: seconds(24 * 60 * 60),
  /** The same for a page that could not be previewed: shorter, so a site that was down gets another chance. */
  PREVIEW_FAILURE_TTL_SECONDS: seconds(10 * 60),
};

export type PreviewEnv = ReturnType<typeof loadPreviewEnv>;

/** Every variable the preview subgraph and its worker read, validated at boot. */
export function loadPreviewEnv(env: Record<string, string | undefined> = process.env) {
  return loadConfig('preview subgraph', shape, env);
}

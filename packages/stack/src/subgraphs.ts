import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (this file is packages/stack/src/subgraphs.ts). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Every subgraph, its default port and the environment variable that overrides it. */
export const SUBGRAPHS = [
  { name: 'user', port: 4001 },
  { name: 'message', port: 4002 },
  { name: 'media', port: 4003 },
  { name: 'preview', port: 4004 },
] as const;

export const subgraphSdlPath = (name: string) => join(repoRoot, 'subgraphs', name, 'src/schema.graphql');
export const supergraphPath = join(repoRoot, 'schema/supergraph.graphql');
export const apiSchemaPath = join(repoRoot, 'schema/api.graphql');

/** Worker processes, each beside the subgraph that owns it, with the port of its health endpoints. */
export const WORKERS = [
  { name: 'media-worker', entry: 'subgraphs/media/src/worker/index.ts', portVariable: 'MEDIA_WORKER_PORT', port: 4013 },
  {
    name: 'preview-worker',
    entry: 'subgraphs/preview/src/worker/index.ts',
    portVariable: 'PREVIEW_WORKER_PORT',
    port: 4014,
  },
] as const;

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { composeServices } from '@apollo/composition';
import { createRequire } from 'node:module';
import { parse } from 'graphql';
import type * as graphqlModule from 'graphql';
import { apiSchemaPath, SUBGRAPHS, subgraphSdlPath, supergraphPath } from './subgraphs.ts';

// Composition builds its schema with the CommonJS graphql; print it with that same copy (a test runner may
// load the ES module build, and graphql-js refuses objects from "another realm").
const { printSchema } = createRequire(import.meta.url)('graphql') as typeof graphqlModule;

export interface Composed {
  supergraphSdl: string;
  apiSdl: string;
}

/**
 * Composes the subgraphs' SDL into the supergraph (what the gateway serves) and the API schema (what
 * clients and the SDK see). The URLs are the local defaults; the gateway overrides them from its config.
 */
export function compose(): Composed {
  const result = composeServices(
    SUBGRAPHS.map(({ name, port }) => ({
      name,
      url: `http://127.0.0.1:${port}/graphql`,
      typeDefs: parse(readFileSync(subgraphSdlPath(name), 'utf8')),
    })),
  );
  if (result.errors) {
    const details = result.errors.map(
      (error) =>
        `  - [${typeof error.extensions.code === 'string' ? error.extensions.code : 'ERROR'}] ${error.message}`,
    );
    throw new Error(`Composition failed with ${result.errors.length} error(s):\n${details.join('\n')}`);
  }
  return {
    supergraphSdl: `${result.supergraphSdl.trim()}\n`,
    apiSdl: `${printSchema(result.schema.toAPISchema().toGraphQLJSSchema()).trim()}\n`,
  };
}

export const composedFiles = (composed: Composed) => [
  { path: supergraphPath, content: composed.supergraphSdl },
  { path: apiSchemaPath, content: composed.apiSdl },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    for (const file of composedFiles(compose())) writeFileSync(file.path, file.content);
    console.log('Composed schema/supergraph.graphql and schema/api.graphql');
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../../codegen.ts';
import { compose, composedFiles } from './compose.ts';
import { repoRoot } from './subgraphs.ts';

describe('generated files', () => {
  it('the committed supergraph and API schema match the subgraphs (run `npm run compose`)', () => {
    for (const file of composedFiles(compose())) {
      expect(readFileSync(file.path, 'utf8'), `${file.path} is stale: run npm run compose`).toBe(file.content);
    }
  });

  it('the committed resolver types and SDK match the schemas (run `npm run codegen`)', async () => {
    const previous = process.cwd();
    process.chdir(repoRoot);
    try {
      const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
      expect(outputs.length).toBeGreaterThan(4);
      for (const output of outputs) {
        const path = join(repoRoot, output.filename);
        expect(readFileSync(path, 'utf8'), `${output.filename} is stale: run npm run codegen`).toBe(output.content);
      }
    } finally {
      process.chdir(previous);
    }
  }, 60_000);

  it('composition errors are reported with their codes', async () => {
    const { composeServices } = await import('@apollo/composition');
    const { parse } = await import('graphql');
    const result = composeServices([
      { name: 'a', url: 'http://a', typeDefs: parse('type Query { x: Int }') },
      { name: 'b', url: 'http://b', typeDefs: parse('type Query { x: String }') },
    ]);
    expect(result.errors?.[0]?.extensions.code).toBeDefined();
  });
});

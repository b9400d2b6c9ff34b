import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_OPERATION_NAMES } from './sdk-operations.ts';

/** Where the SDK's operations are written (codegen makes `@letstalk/sdk`'s typed documents from them). */
const OPERATIONS = new URL('../../../schema/operations/', import.meta.url);

describe('SDK_OPERATION_NAMES', () => {
  it('lists every operation of schema/operations, and nothing else', () => {
    const names = readdirSync(OPERATIONS)
      .filter((file) => file.endsWith('.graphql'))
      .flatMap((file) =>
        [
          ...readFileSync(new URL(file, OPERATIONS), 'utf8').matchAll(/^\s*(?:query|mutation|subscription)\s+(\w+)/gm),
        ].map((match) => match[1]!),
      );
    expect(names.length).toBeGreaterThan(30);
    expect(
      [...SDK_OPERATION_NAMES].sort(),
      'packages/metrics/src/sdk-operations.ts is out of date: list the operations of schema/operations there',
    ).toEqual([...new Set(names)].sort());
  });
});

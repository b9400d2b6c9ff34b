import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ssr } from './vitest.config.ts';

/**
 * `npm run test:e2e:scaled`: the whole end-to-end suite, unchanged, against the scale-out stack (two of every
 * process behind HAProxy, three NATS nodes, MariaDB with a replica; gateway/test/global-setup-scaled.ts) instead of
 * `npm start`'s. Not part of `npm test`: it takes as long as the end-to-end suite again (docs/testing.md).
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: [
      {
        ssr,
        test: {
          name: 'e2e-scaled',
          include: ['gateway/test/**/*.test.ts'],
          exclude: ['gateway/test/scaled-stack.test.ts', '**/node_modules/**'],
          globalSetup: ['gateway/test/global-setup-scaled.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

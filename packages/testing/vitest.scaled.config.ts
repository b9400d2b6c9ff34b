import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ssr } from './vitest.config.ts';

/**
 * `npm run test:scaled`: the scale-out stack (npm run stack:scaled) driven through its balancer while processes are
 * killed (gateway/test/scaled-stack.test.ts), on its own: beside the whole suite on a two-core machine its live
 * delivery after a kill outlasted the wait (docs/testing.md). Uses the end-to-end suite's set-up (its fake SMTP).
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: [
      {
        ssr,
        test: {
          name: 'scaled',
          include: ['gateway/test/scaled-stack.test.ts'],
          globalSetup: ['gateway/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

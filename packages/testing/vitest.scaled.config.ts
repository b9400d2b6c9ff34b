import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { ssr } from './vitest.config.ts';

/**
 * `npm run test:scaled`: the scale-out stack (npm run stack:scaled) driven through its balancer while processes and
 * NATS nodes are killed (gateway/test/scaled-stack.test.ts), on its own, at the end of `npm test`: beside the whole
 * suite, its nineteen more processes on a two-core machine slowed everything past the tests' waits. The stack is its
 * own; only the end-to-end suite's fakes are shared.
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
          globalSetup: ['gateway/test/global-setup-fakes.ts'],
          testTimeout: 30_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

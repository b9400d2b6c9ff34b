import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Workspace packages that are also published (`@letstalk/sdk`) map this export condition to their
 * TypeScript source; without it they resolve to their built `dist/`. The others are Vite's server defaults
 * less `module`: that one picks builds Node cannot load as they are (@opentelemetry/api's ESM build has
 * extensionless imports), which Node then imports for the tests that load the gateway in-process.
 */
const ssr = { resolve: { conditions: ['@letstalk/source', 'node', 'development|production'] } };

/**
 * Three projects: unit tests beside the modules, integration tests per package against the real
 * MariaDB and NATS, and the end-to-end suite that drives the whole stack through the gateway.
 */
export { ssr };

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    projects: [
      {
        ssr,
        test: {
          name: 'unit',
          include: ['{packages,subgraphs,gateway}/**/src/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
        },
      },
      {
        ssr,
        test: {
          name: 'integration',
          include: ['{packages,subgraphs}/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testing/src/global-setup-services.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ssr,
        test: {
          name: 'e2e',
          include: ['gateway/test/**/*.test.ts'],
          // Run on its own, after the rest (npm test ends with npm run test:scaled, vitest.scaled.config.ts): beside the
          // whole suite on two cores, its live delivery after a kill outlasted the test's wait (docs/testing.md).
          exclude: ['gateway/test/scaled-stack.test.ts', '**/node_modules/**'],
          globalSetup: ['gateway/test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

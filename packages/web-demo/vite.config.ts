import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite';

const conditions = ['@letstalk/source', ...defaultClientConditions];

/**
 * Builds the service worker (src/sw/sw.ts) once the page is built, into the same directory as `sw.js`: at the
 * root, so that its scope is the whole demo, under a name that stays the same (a browser updates a registration
 * in place), and as one classic script (a build of its own bundles what it imports, where the page's build would
 * share modules with it through chunks it would have to import).
 */
function serviceWorker(): Plugin {
  let root = '.';
  let outDir = 'dist';
  return {
    name: 'letstalk-service-worker',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        resolve: { conditions },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: true,
          lib: {
            entry: resolve(root, 'src/sw/sw.ts'),
            formats: ['iife'],
            name: 'letstalkServiceWorker',
            fileName: () => 'sw.js',
          },
        },
      });
    },
  };
}

/**
 * The demo bundles the SDK from its TypeScript source (the repository's `@letstalk/source` export condition),
 * so nothing has to be built first. `base: './'` lets the page be served from any path.
 */
export default defineConfig({
  base: './',
  plugins: [preact(), serviceWorker()],
  resolve: { conditions },
  build: { target: 'es2022', sourcemap: true },
});

import preact from '@preact/preset-vite';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The demo bundles the SDK from its TypeScript source (the repository's `@letstalk/source` export condition),
 * so nothing has to be built first. `base: './'` lets the page be served from any path.
 */
export default defineConfig({
  base: './',
  plugins: [preact()],
  resolve: { conditions: ['@letstalk/source', ...defaultClientConditions] },
  build: { target: 'es2022', sourcemap: true },
});

// @ts-check
// Lint rules for every workspace: `npm run lint` (and `npm test`). Formatting is Prettier's job, not ESLint's.
// A rule turned off for some files says why beside the override; `eslint-disable` comments need a `-- reason`.
import comments from '@eslint-community/eslint-plugin-eslint-comments';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import n from 'eslint-plugin-n';
import tseslint from 'typescript-eslint';

/** Hand-written files stay short enough to read in one sitting. */
const MAX_FILE_LINES = 300;

/** The modules that may read `process.env`: each service's env.ts, the config loader, the test services' settings. */
const CONFIG_MODULES = ['**/src/env.ts', 'packages/config/src/index.ts', 'packages/testing/src/services.ts'];

const TESTS = ['**/*.test.ts', '**/test/**', 'packages/testing/**', 'bench/**'];

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/generated/', '**/migrations/', '**/dist/', '.data/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, n, '@eslint-community/eslint-comments': comments },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['*/tsconfig.json', '*/*/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-lines': ['error', { max: MAX_FILE_LINES, skipBlankLines: false, skipComments: false }],
      // Runtime import circles; dependency-cruiser (`npm run lint`) also catches the type-only ones.
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      // Each workspace lists what it imports (types included): hoisting must not hide a missing dependency.
      'import-x/no-extraneous-dependencies': ['error', { includeTypes: true }],
      'n/no-process-env': 'error',
      '@eslint-community/eslint-comments/require-description': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Off: `async` marks functions that fulfil a Promise-returning contract (resolvers, handlers, fakes);
      // a throw inside them must become a rejection, which is what their callers handle.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: CONFIG_MODULES,
    rules: { 'n/no-process-env': 'off' },
  },
  {
    files: TESTS,
    rules: {
      // Off in tests and benches: they read the untyped JSON that real servers answer and assert on its
      // shape; the assertion is the type check.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);

// Type-aware lint for the whole repository (CONVENTIONS.md, habit 8).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { readdirSync } from 'node:fs';

// The web app's modules (one folder each): a module reaches another only through its index.ts.
const webModules = readdirSync(`${import.meta.dirname}/web/src/modules`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', '.test-data/**', '**/dist/**', 'bin/**', 'bench/tmp/**', 'e2e/artifacts/**', 'web/build/service-worker-template.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The build leaves out antd Table's tree-mode column filter (web/build/table-without-tree-filter.ts).
      'no-restricted-syntax': ['error', {
        selector: "Property[key.name='filterMode'] Literal[value='tree']",
        message: "Table filters with filterMode 'tree' are left out of the build (web/build/table-without-tree-filter.ts).",
      }],
    },
  },
  {
    // A server module reaches another only through its public entry (index.ts or service.ts).
    files: ['server/src/modules/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^\\.\\./[a-z-]+/(?!(index|service)\\.ts$)',
          message: "Another module's internals: import its index.ts or service.ts, or move what both need to a shared folder (server/src/spreadsheets, uploads, files, db, jobs).",
        }],
      }],
    },
  },
  {
    files: ['web/src/modules/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(\\.\\./)+(${webModules.join('|')})/(?!index\\.ts$)`,
          message: "Another module's internals: import its index.ts (add what you need there), or move what both need to web/src/shared.",
        }],
      }],
    },
  },
  { files: ['eslint.config.js', 'server/src/ts-worker.mjs', '.ci/*.mjs'], ...tseslint.configs.disableTypeChecked },
);

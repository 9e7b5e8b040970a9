// Flat config (uBO Lite / Privacy Badger habits): modules everywhere except the content scripts,
// which the manifest loads as classic scripts.
import globals from 'globals';
import js from '@eslint/js';

const rules = {
  eqeqeq: ['error', 'always'],
  curly: ['error', 'all'],
  'no-shadow': 'error',
  'no-var': 'error',
  'prefer-const': 'error',
  'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
};

export default [
  { ignores: ['node_modules/**', 'build/**', 'bench/**', 'tests/e2e/artifacts/**'] },
  js.configs.recommended,
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.webextensions },
    },
    rules,
  },
  {
    files: ['extension/content/**/*.js'],
    languageOptions: { sourceType: 'script' },
  },
  {
    files: ['extension/tools/**/*.mjs', 'scripts/**/*.mjs', 'tests/js/**/*.mjs', 'tests/e2e/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules,
  },
  {
    // Callbacks passed to page.evaluate / worker.evaluate run in the browser.
    files: ['tests/e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...globals.webextensions } },
  },
];

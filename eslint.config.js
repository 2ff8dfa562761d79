'use strict';
// Lint for the whole repository (`npm run lint`, part of `npm test`): the
// TypeScript source with typescript-eslint, the JavaScript around it
// (tests, scripts, sample server, benchmarks) with ESLint's own rules.
// Zero warnings: a warning that nobody acts on is noise.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const globals = require('globals');

/** The size limits the project keeps (no source file over 300 lines, no function over 80). */
const size = {
  'max-lines': ['error', { max: 300 }],
  'max-lines-per-function': ['error', { max: 80 }],
};

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'nodes/**/*.js', 'resources/catalogue.js', 'resources/comet-editor.js', '.tmp/', 'bench/.out/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      ...size,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `const node = this` is how Node-RED's own nodes hand the node to their closures.
      '@typescript-eslint/no-this-alias': 'off',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    files: ['test/**/*.js'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    // Functions these files hand to page.evaluate() run in the editor's page.
    files: ['test/editor/**/*.js', 'test/helpers/editor.js', 'test/**/*page*.js'],
    languageOptions: { globals: { ...globals.browser, RED: 'readonly', $: 'readonly' } },
  },
);

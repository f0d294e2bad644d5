// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// Pure cores (STYLE.md): no I/O, no clocks, no transport libraries.
const PURE_CORE_FILES = [
  'packages/consensus/src/**/*.ts',
  'packages/linearizability/src/**/*.ts',
  'services/coordination/src/tree/**/*.ts',
  'services/resource-manager/src/allocator/**/*.ts',
];
const IO_MODULES = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http',
  'child_process', 'node:child_process', 'dgram', 'node:dgram', '@grpc/grpc-js', '@grpc/proto-loader', 'ioredis', 'winston'];

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/proto/src/generated/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: PURE_CORE_FILES,
    rules: {
      'no-restricted-imports': ['error', { paths: IO_MODULES.map((name) => ({ name, message: 'pure core: no I/O here (STYLE.md)' })) }],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'pure core: take time as an argument' },
        { name: 'setTimeout', message: 'pure core: take ticks as input' },
        { name: 'setInterval', message: 'pure core: take ticks as input' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'pure core: use the injected seeded PRNG' }],
    },
  },
);

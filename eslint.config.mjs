// Lint: typed rules everywhere (no floating promises); workflow code may not touch Node or I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'crypto',
  'dns',
  'tls',
  'worker_threads',
  'cluster',
  'process',
  'stream',
  'timers',
  'util',
  'events',
  'zlib',
  'url',
  'readline',
];
const ioLibraries = ['pg', 'knex', 'kafkajs', '@grpc/grpc-js', '@grpc/proto-loader', 'pino', 'fastify'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.dtx/**',
      'proto/gen/**',
      'test/histories/**/*.json',
      'test/artifacts/**',
      '*.js',
      '*.mjs',
      'cli/dtx.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({
            name,
            message:
              'workflow code must be deterministic: no Node built-ins or I/O libraries (use activities)',
          })),
          patterns: [
            { group: ['node:*'], message: 'workflow code must not import Node built-ins' },
            {
              group: ['../common/*', '../../common/*', '../services/*', '../activities/*'],
              allowTypeImports: true,
              message: 'workflows import only types from runtime code',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Buffer', 'require'],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);

// Lint: typed rules everywhere (no floating promises); workflow code may not touch Node or I/O; imports run one way
// between the top-level folders (the layer rules below).
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

// Layer rules: what each folder may import of ours, bottom to top. Everything not allowed is an error whose message
// names the rule. Imports are relative, so a folder is matched as `../` (any depth) + its path.
const up = (path) => `^(\\.\\./)+${path}(/|$)`;
const PUBLIC_WORKFLOW_MODULES = 'names|contract|search-attributes|start-options';
/** Every unit a rule can name: a top-level folder, or part of one. */
const UNITS = {
  proto: { label: 'proto/gen', regex: up('proto') },
  common: { label: 'common/', regex: up('common') },
  workflowNames: {
    label: 'workflows/ names (names, contract, search-attributes, start-options)',
    regex: `^(\\.\\./)+workflows/(${PUBLIC_WORKFLOW_MODULES})$`,
  },
  workflowCode: {
    label: 'workflow code (workflows/ other than names, contract, search-attributes, start-options)',
    regex: `^(\\.\\./)+workflows(/(?!(${PUBLIC_WORKFLOW_MODULES})$)|$)`,
  },
  outbox: { label: 'outbox/', regex: up('outbox') },
  migrations: { label: 'migrations/', regex: up('migrations') },
  rpc: { label: 'services/rpc', regex: up('services/rpc') },
  services: { label: 'services/ (other than services/rpc)', regex: '^(\\.\\./)+services(/(?!rpc/)|$)' },
  activities: { label: 'activities/', regex: up('activities') },
  timeline: { label: 'timeline/', regex: up('timeline') },
  provider: { label: 'provider/', regex: up('provider') },
  workers: { label: 'workers/', regex: up('workers') },
  operations: { label: 'api/operations', regex: up('api/operations') },
  http: { label: 'api/http', regex: up('api/http') },
  api: { label: 'api/', regex: '^(\\.\\./)+api/?$' },
  cli: { label: 'cli/', regex: up('cli') },
  stack: { label: 'stack/', regex: up('stack') },
  start: { label: 'start/', regex: up('start') },
  demo: { label: 'demo/', regex: up('demo') },
  tools: { label: 'tools/', regex: up('tools') },
  test: { label: 'test/', regex: up('test') },
};
const ALL = Object.keys(UNITS);
const allBut = (...units) => ALL.filter((u) => !units.includes(u));
const forbid = (layer, why, allowed) =>
  allBut(...allowed).map((unit) => ({
    regex: UNITS[unit].regex,
    message: `layer rule: ${layer} may not import ${UNITS[unit].label} (${why})`,
  }));

const LAYERS = [
  {
    layer: 'common/',
    files: ['common/**/*.ts'],
    why: 'the bottom layer: it may use proto/gen only',
    may: ['proto', 'common'],
  },
  {
    layer: 'outbox/',
    files: ['outbox/**/*.ts'],
    why: 'the outbox is below the services that write it: it may use common, proto/gen and workflows names',
    may: ['proto', 'common', 'workflowNames', 'outbox'],
  },
  {
    layer: 'migrations/',
    files: ['migrations/**/*.ts'],
    why: 'migrations may use common and the outbox/inbox table definitions',
    may: ['common', 'outbox', 'migrations'],
  },
  {
    layer: 'services/',
    files: ['services/**/*.ts'],
    why: 'domains are below the activities, workers and API: they may use common, proto/gen, outbox and workflows names',
    may: ['proto', 'common', 'workflowNames', 'outbox', 'rpc', 'services'],
  },
  {
    layer: 'activities/',
    files: ['activities/**/*.ts'],
    why: 'activities may use services/rpc, common and workflows names',
    may: ['proto', 'common', 'workflowNames', 'rpc', 'activities'],
  },
  {
    layer: 'timeline/',
    files: ['timeline/**/*.ts'],
    why: 'the read model may use common, outbox and workflows names',
    may: ['proto', 'common', 'workflowNames', 'outbox', 'timeline'],
  },
  {
    layer: 'provider/',
    files: ['provider/**/*.ts'],
    why: 'the payment provider simulator stands outside dtx: it reads Kafka and calls the payment service like a webhook',
    may: ['proto', 'common', 'workflowNames', 'outbox', 'rpc', 'provider'],
  },
  {
    layer: 'workers/',
    files: ['workers/**/*.ts'],
    why: 'workers may use activities, workflows, outbox, timeline, services/rpc and common',
    may: [
      'proto',
      'common',
      'workflowNames',
      'workflowCode',
      'outbox',
      'rpc',
      'activities',
      'timeline',
      'workers',
    ],
  },
  {
    layer: 'api/operations',
    files: ['api/operations/**/*.ts'],
    why: 'use cases sit below HTTP and the CLI: they may use workflows names, outbox, timeline, services/rpc and common',
    may: ['proto', 'common', 'workflowNames', 'outbox', 'rpc', 'timeline', 'operations'],
  },
  {
    layer: 'api/http',
    files: ['api/http/**/*.ts'],
    why: 'the HTTP layer may use api/operations and common',
    may: ['common', 'operations', 'http'],
  },
  {
    layer: 'cli/',
    files: ['cli/**/*.ts'],
    why: 'the CLI may use api/operations, stack, common and workflows names, never the HTTP layer',
    may: ['common', 'workflowNames', 'operations', 'stack', 'cli'],
  },
  {
    layer: 'stack/',
    files: ['stack/**/*.ts'],
    why: 'the local stack may use common and workflows names (search attributes)',
    may: ['common', 'workflowNames', 'stack'],
  },
  {
    layer: 'start/, demo/ and tools/',
    files: ['start/**/*.ts', 'demo/**/*.ts', 'tools/**/*.ts'],
    why: 'the entry points and dev tools may use anything but the tests',
    may: allBut('test'),
  },
];
const layerPatterns = Object.fromEntries(LAYERS.map((l) => [l.layer, forbid(l.layer, l.why, l.may)]));

/** Sibling folders that must not import each other (each also keeps its layer's patterns). */
const siblings = (parent, names, why) =>
  names.map((name) => ({
    files: [`${parent}/${name}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...layerPatterns[`${parent}/`],
            ...names
              .filter((other) => other !== name)
              .map((other) => ({
                regex: `^(\\.\\./)+(${parent}/)?${other}(/|$)`,
                message: `layer rule: ${parent}/${name}/ may not import ${parent}/${other}/ (${why})`,
              })),
          ],
        },
      ],
    },
  }));

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.dtx/**',
      // `npm run build`'s output (and its folders while a build swaps it in)
      'dist/**',
      'dist.tmp-*/**',
      'dist.old-*/**',
      'proto/gen/**',
      'test/histories/**/*.json',
      'test/artifacts/**',
      '*.js',
      '*.mjs',
      'cli/dtx.js',
      // plain JS like the bin: it runs before anything is compiled
      'tools/build.js',
      // a jest reporter: jest loads reporters untransformed, so it is plain JS outside the TypeScript project
      'test/support/log-reporter.js',
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
            // runtime code below the workflows: types only (activity signatures, error contracts)
            ...['proto', 'common', 'rpc', 'services', 'activities'].map((unit) => ({
              regex: UNITS[unit].regex,
              allowTypeImports: true,
              message: `layer rule: workflows/ import only types from ${UNITS[unit].label} (workflow code must be deterministic)`,
            })),
            ...forbid('workflows/', 'workflow code is the pure core: it imports no layer above it', [
              'proto',
              'common',
              'rpc',
              'services',
              'activities',
              'workflowNames',
              'workflowCode',
            ]),
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'setTimeout', 'setInterval', 'Buffer', 'require'],
    },
  },
  ...LAYERS.map(({ layer, files }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns[layer] }] },
  })),
  ...siblings(
    'services',
    ['order', 'inventory', 'coupon', 'payment'],
    'each domain is its own service and database',
  ),
  ...siblings(
    'workers',
    ['orchestrator', 'relay', 'projector', 'payment-bridge'],
    'each worker is its own process',
  ),
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);

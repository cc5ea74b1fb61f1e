// Two projects: `unit` needs no servers; `integration` talks to the real local stack (see tools/test.sh).
const testNames = require('./test/support/test-names.json');

// The tests' own databases, Temporal namespace and Kafka names (test/support/env.ts): set here, before jest starts
// its workers and before any test file spawns a child, so a bare `npx jest` never touches `npm start`'s data. An
// explicit value wins (test/support/setup.ts still refuses the shop's own names).
for (const [name, value] of Object.entries(testNames)) {
  if (!process.env[name]) process.env[name] = value;
}

const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// content-disposition 3 (under @fastify/swagger-ui → @fastify/static) and cookie 1 (under light-my-request, Fastify's
// inject) ship ESM only; Jest's CJS runtime on Node 20 cannot require them, so swc compiles them like our TypeScript.
const transform = { '^.+\\.ts$': swc, '/node_modules/(content-disposition|cookie)/.+\\.js$': swc };
const transformIgnorePatterns = ['/node_modules/(?!(content-disposition|cookie)/)'];
// Each test file logs to test/artifacts/logs/<file>.log instead of the terminal.
const setupFilesAfterEnv = ['<rootDir>/test/support/setup.ts'];

/** @type {import('jest').Config} */
module.exports = {
  // Jest reads testTimeout only at the top level; the real stack needs generous timeouts (unit tests are fast anyway).
  testTimeout: 120000,
  // A failing file's log tail after jest's own report of it.
  reporters: ['default', '<rootDir>/test/support/log-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      setupFilesAfterEnv,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      setupFilesAfterEnv,
      // The test databases (created, migrated) and the test namespace (with dtx's search attributes).
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};

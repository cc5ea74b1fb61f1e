// Two projects: `unit` needs no servers; `integration` talks to the real local stack (see scripts/test.sh).
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// content-disposition 3 (under @fastify/swagger-ui → @fastify/static) and cookie 1 (under light-my-request, Fastify's
// inject) ship ESM only; Jest's CJS runtime on Node 20 cannot require them, so swc compiles them like our TypeScript.
const transform = { '^.+\\.ts$': swc, '/node_modules/(content-disposition|cookie)/.+\\.js$': swc };
const transformIgnorePatterns = ['/node_modules/(?!(content-disposition|cookie)/)'];

/** @type {import('jest').Config} */
module.exports = {
  // Jest reads testTimeout only at the top level; the real stack needs generous timeouts (unit tests are fast anyway).
  testTimeout: 120000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
    },
  ],
};

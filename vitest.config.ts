import { defineConfig } from 'vitest/config';

/**
 * `npm test`: unit tests beside the source, the database/API suites on an embedded PGlite, the web client's
 * component tests, and the browser journeys. With SOPDESK_TEST_DATABASE_URL (`npm run test:pg`, CI's second pass) the database suites run on
 * PostgreSQL, together with test/pg — what only a server can show (two server processes, real concurrency).
 */
const onServer = Boolean(process.env.SOPDESK_TEST_DATABASE_URL);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'web/widget/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**', ...(onServer ? [] : ['test/pg/**'])],
        },
      },
      // The web client's components, in happy-dom against a stand-in for the API (web/src/test-support.tsx): fast, no build.
      {
        extends: true,
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['web/src/test-setup.ts'],
        },
      },
      // Browser journeys: the only tests that need the built UI; their global setup builds it once when stale.
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          // A journey's setup makes its store through the API, which takes tens of seconds on a busy two-core machine.
          hookTimeout: 180_000,
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});

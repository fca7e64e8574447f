import { defineConfig } from 'vitest/config';

/**
 * `npm test`: unit tests beside the source and the database/API suites on an embedded PGlite.
 * With SOPDESK_TEST_DATABASE_URL (`npm run test:pg`, CI's second pass) the database suites run on PostgreSQL,
 * together with test/pg — what only a server can show (two server processes, real concurrent transactions).
 */
const onServer = Boolean(process.env.SOPDESK_TEST_DATABASE_URL);

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(onServer ? [] : ['test/pg/**'])],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

/**
 * The database under test: PGlite in memory by default; with SOPDESK_TEST_DATABASE_URL set, a fresh
 * database created on that PostgreSQL server for this test file, dropped afterwards.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { builtinIms } from '../../src/connectors/ims/builtin.js';

export const serverUrl = process.env.SOPDESK_TEST_DATABASE_URL;

export interface TestDb {
  database: Database;
  url?: string | undefined;
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database on the test server and returns its URL. */
export async function createServerDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sopdesk_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(base, (c) => c.query(`create database ${name}`));
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => admin(base, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export async function openTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDb> {
  if (!serverUrl) {
    const database = await openDatabase();
    return { database, drop: () => database.close() };
  }
  const created = await createServerDatabase(serverUrl);
  const database = await openDatabase({ url: created.url, poolSize: opts.poolSize ?? 5 });
  return {
    database,
    url: created.url,
    drop: async () => {
      await database.close();
      await created.drop();
    },
  };
}

export const T0 = '2026-11-20T10:00:00.000Z';

export async function openTestContext(): Promise<AppContext & { clock: FixedClock; drop: () => Promise<void> }> {
  const t = await openTestDatabase();
  const clock = new FixedClock(T0);
  return { database: t.database, clock, ims: builtinIms(t.database, clock), drop: t.drop };
}

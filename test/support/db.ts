/**
 * The database under test: PGlite in memory by default; with SOPDESK_TEST_DATABASE_URL set, a fresh
 * database created on that PostgreSQL server for this test file, dropped afterwards.
 *
 * Both start from a migrated, empty store without paying for it each time (seconds of CPU per database, hundreds of
 * databases per run): an embedded database that a test dropped is emptied and handed to the next test of the same
 * file, and a server database is a copy of a migrated template.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { newestMigration, openDatabase, type Database, type Db } from '../../src/db/database.js';
import { resetSql, snapshotSql } from '../../src/simulate/stores.js';
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

/**
 * Creates a database on the test server and returns its URL: empty, or a copy of `template` (one copy at a time:
 * PostgreSQL refuses to copy a template while another statement copies it).
 */
export async function createServerDatabase(
  base: string,
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sopdesk_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(base, async (c) => {
    if (!template) return c.query(`create database ${name}`);
    await c.query('select pg_advisory_lock(7406352)');
    try {
      await c.query(`create database ${name} template ${template}`);
    } finally {
      await c.query('select pg_advisory_unlock(7406352)');
    }
  });
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => admin(base, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** Embedded databases dropped by a test of this file, emptied: the next test takes one instead of starting another. */
const idleEmbedded: Database[] = [];
const EMPTY = 'test_empty_store';

async function embeddedTestDatabase(): Promise<TestDb> {
  let raw = idleEmbedded.pop();
  if (!raw) {
    raw = await openDatabase();
    await raw.db.execute(sql.raw(snapshotSql(EMPTY)));
  }
  const held = raw;
  const lease = leaseOf(held);
  return {
    database: lease.database,
    drop: async () => {
      await lease.end();
      await held.db.execute(sql.raw(resetSql(EMPTY)));
      idleEmbedded.push(held);
    },
  };
}

/**
 * A test's view of a shared embedded database. Once the test dropped it, any use of it throws (a worker the test left
 * running cannot write into the next test's store), and what the test listened to is unlistened.
 */
function leaseOf(raw: Database): { database: Database; end(): Promise<void> } {
  let ended = false;
  const listening = new Set<() => Promise<void>>();
  const open = () => {
    if (ended) throw new Error('this test database was dropped');
  };
  const db = new Proxy(raw.db, {
    get(target, key, receiver) {
      open();
      return Reflect.get(target, key, receiver);
    },
  }) as Db;
  const database: Database = {
    kind: raw.kind,
    db,
    transaction: (fn) => (open(), raw.transaction(fn)),
    async listen(channel, handlers) {
      open();
      const stop = await raw.listen(channel, handlers);
      listening.add(stop);
      return async () => {
        if (listening.delete(stop)) await stop();
      };
    },
    close: async () => {
      ended = true;
    },
  };
  return {
    database,
    async end() {
      ended = true;
      for (const stop of [...listening]) await stop();
      listening.clear();
    },
  };
}

let template: Promise<string> | undefined;

/** The migrated, empty database that server test databases are copies of (made once per set of migrations). */
function serverTemplate(base: string): Promise<string> {
  template ??= makeServerTemplate(base);
  return template;
}

async function makeServerTemplate(base: string): Promise<string> {
  const name = `sopdesk_t_template_${newestMigration()}`;
  await admin(base, async (c) => {
    await c.query('select pg_advisory_lock(7406351)');
    try {
      const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount) return;
      const building = `${name}_building`;
      await c.query(`drop database if exists ${building} with (force)`);
      await c.query(`create database ${building}`);
      const u = new URL(base);
      u.pathname = `/${building}`;
      const database = await openDatabase({ url: u.toString(), poolSize: 1 });
      await database.close();
      await c.query(`alter database ${building} rename to ${name}`);
    } finally {
      await c.query('select pg_advisory_unlock(7406351)');
    }
  });
  return name;
}

export async function openTestDatabase(opts: { poolSize?: number } = {}): Promise<TestDb> {
  if (!serverUrl) return embeddedTestDatabase();
  const created = await createServerDatabase(serverUrl, await serverTemplate(serverUrl));
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

import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { Placeholder, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import type { PoolConfig } from 'pg';
import { pipelinedTransactions } from './pipelining.js';

/*
 * Without drizzle's relational query API (`db.query.…`): nothing uses it, and with a schema drizzle builds a query
 * builder per table for every transaction it opens, a measurable part of each action's CPU.
 */
type NoSchema = Record<string, never>;
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
/** Repository functions take either the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  readonly kind: 'embedded' | 'server';
  readonly db: Db;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Listens on a notification channel (`pg_notify`): `onNotify` gets each payload, in commit order, once the notifying
   * transaction has committed. On a server the listening connection is its own; when it was lost and is back,
   * `onReconnect` is called, as notifications sent in between are gone. Returns the function that stops listening.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface NotificationHandlers {
  onNotify(payload: string): void;
  onReconnect?(): void;
}

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; absent for the embedded database. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; absent = in memory. */
  dataDir?: string | undefined;
  /** Connections in the server pool. */
  poolSize?: number | undefined;
  /**
   * An embedded store made and migrated beforehand (`embeddedTemplate()`, a tarball of its files): a new `dataDir` starts
   * as a copy of it instead of running initdb and every migration, the bulk of a first start. Ignored when the
   * directory already holds a store.
   */
  template?: (() => Promise<Blob | undefined>) | undefined;
}

// Two levels up and down again: the same folder from this file and from the CLI bundle (dist/cli/main.mjs, src/cli/prepare.ts).
const migrationsFolder = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

/**
 * True when the database already has the newest migration of the journal, so start-up can skip drizzle's migrator
 * (which reads and hashes every migration file and runs its bookkeeping in a transaction: a sizeable part of an
 * embedded restart). drizzle applies each migration newer than the newest `created_at` it recorded; this is the
 * same test.
 */
async function migrationsCurrent(query: (sql: string) => Promise<{ rows: unknown[] }>): Promise<boolean> {
  const newest = newestMigration();
  try {
    const { rows } = await query('select max(created_at) as newest from public.__drizzle_migrations');
    const recorded = (rows[0] as { newest: number | string | null } | undefined)?.newest;
    return recorded !== null && recorded !== undefined && Number(recorded) >= newest;
  } catch {
    return false; // no bookkeeping table yet: a new database
  }
}

/** Opens the embedded (PGlite) or server (PostgreSQL) database and brings its schema up to date. */
export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const database = opts.url
    ? await openServer(opts.url, opts.poolSize ?? 10)
    : await openEmbedded(opts.dataDir, opts.template);
  return database;
}

/** The newest migration's time, which names the schema an embedded template was made with. */
export function newestMigration(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

/** A new embedded store with every migration applied, as the tarball `template` takes (made once, at install). */
export async function embeddedTemplate(): Promise<Blob> {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client = new PGlite();
  try {
    await migrate(drizzle(client) as never, { migrationsFolder, migrationsSchema: 'public' });
    await client.query('checkpoint');
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
}

async function openServer(url: string, poolSize: number): Promise<Database> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  // bigint (int8) columns hold minor units well inside the safe integer range.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  // Pipeline mode: a statement is sent at once, not after the previous one's answer (see pipelining.ts).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, pipeline: true } as PoolConfig);
  // An idle connection the server closes (restart, admin termination) must not crash the process; the pool replaces it.
  pool.on('error', (e) => console.error('sopdesk: idle database connection closed by the server:', e.message));
  const db = drizzle(pool) as unknown as Db;
  if (!(await migrationsCurrent((q) => pool.query(q))))
    await migrate(db as never, { migrationsFolder, migrationsSchema: 'public' });
  const transaction = await pipelinedTransactions(pool, db);
  const listeners = new Set<() => Promise<void>>();
  return {
    kind: 'server',
    db,
    transaction,
    listen: async (channel, handlers) => {
      const stop = await listenOnServer(pg, url, channel, handlers);
      const unlisten = async () => {
        listeners.delete(unlisten);
        await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
}

const RELISTEN_MS = [100, 500, 1000, 2000, 5000];

/**
 * LISTEN on a connection of its own (a pooled one goes back to the pool, and pipeline mode is for statements, not
 * waiting): when the server closes it, a new one listens again after a short wait, and `onReconnect` is told.
 */
async function listenOnServer(
  pg: typeof import('pg').default,
  url: string,
  channel: string,
  handlers: NotificationHandlers,
): Promise<() => Promise<void>> {
  let client: InstanceType<typeof pg.Client> | undefined;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel) handlers.onNotify(n.payload ?? '');
    });
    const lost = () => {
      if (stopped || client !== c) return;
      client = undefined;
      void c.end().catch(() => undefined);
      relisten(0);
    };
    c.on('error', lost);
    c.on('end', lost);
    try {
      await c.connect();
      await c.query(`listen "${channel.replaceAll('"', '""')}"`);
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    if (stopped) await c.end();
    else client = c;
  };
  const relisten = (attempt: number) => {
    retry = setTimeout(
      () => {
        if (stopped) return;
        connect().then(
          () => handlers.onReconnect?.(),
          () => relisten(attempt + 1),
        );
      },
      RELISTEN_MS[Math.min(attempt, RELISTEN_MS.length - 1)],
    );
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = undefined;
    await c?.end().catch(() => undefined);
  };
}

/**
 * Settings of the embedded server. Its shared memory is allocated and cleared by WebAssembly code at every open, so
 * PostgreSQL's default 128 MB of shared buffers cost about 0.4 s of CPU per start (a third of opening a store); 32 MB
 * hold a demo-sized store whole, and what does not fit is read from the files through the OS page cache. One process
 * with one connection: room for a handful of connections, not PostgreSQL's 100, is all the lock tables need.
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=32MB', '-c', 'max_connections=8'];

async function openEmbedded(dataDir: string | undefined, template: DatabaseOptions['template']): Promise<Database> {
  const [{ PGlite, types }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  // A new store is made under a marker beside it, removed once it is made and migrated: a process killed while making
  // it (initdb, the template's files, the first migrations) leaves the marker, and the next open starts it over
  // rather than open half a store. Nothing is written to a store before its marker is gone.
  const making = dataDir && `${dataDir}.initialising`;
  if (making && existsSync(making)) rmSync(dataDir, { recursive: true, force: true });
  const fresh = !!dataDir && !existsSync(`${dataDir}/PG_VERSION`);
  if (dataDir) mkdirSync(dirname(dataDir), { recursive: true });
  if (fresh && making)
    writeFileSync(making, 'a new embedded store is being made here; if no sopdesk runs, it never finished\n');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const loadDataDir = fresh ? await template?.() : undefined;
  const client = new PGlite(dataDir ?? undefined, {
    parsers: { [types.INT8]: (v: string) => Number(v) },
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS],
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const db = drizzle(client) as unknown as Db;
  if (!(await migrationsCurrent((q) => client.query(q))))
    await migrate(db as never, { migrationsFolder, migrationsSchema: 'public' });
  if (fresh && making) unlinkSync(making);
  return {
    kind: 'embedded',
    db,
    transaction: (fn) => db.transaction(fn),
    // One connection: its own notifications reach it, after the commit, as on a server.
    listen: async (channel, handlers) => {
      const stop = await client.listen(channel, (payload) => handlers.onNotify(payload));
      return async () => {
        if (!client.closed) await stop();
      };
    },
    close: () => client.close(),
  };
}

/** Rows of a raw query, the same shape on both drivers. */
export async function rows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const result = (await ex.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** What drizzle keeps behind a database or transaction; its own `.prepare(name)` builders go through the same path. */
interface QueryRunner {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      arrayMode: boolean,
    ): PreparedRaw;
  };
}
interface PreparedRaw {
  execute(values: Record<string, unknown>): Promise<unknown>;
}

/**
 * Rows of a statement whose text is built per call (a multi-row insert), handed to the driver within the call, as a
 * `preparedRows` statement is (`ex.execute` waits a tick first): so it can be pipelined (`together`). Parsed and
 * planned on every call, like any unnamed statement.
 */
export async function sentRows<T>(ex: Executor, query: SQL): Promise<T[]> {
  const runner = ex as unknown as QueryRunner;
  const q = runner.session.prepareQuery(runner.dialect.sqlToQuery(query), undefined, undefined as never, false);
  return ((await q.execute({})) as { rows: T[] }).rows;
}

const PREPARED = new Map<string, () => SQL>();

/**
 * The SQL text of a named prepared statement (once its module is loaded), with the placeholder name behind each `$n`:
 * how `npm run bench` replays sopdesk's own statements with pgbench, so the replay never drifts from the code.
 */
export function preparedStatement(name: string): { text: string; placeholders: string[] } {
  const build = PREPARED.get(name);
  if (!build) throw new Error(`no prepared statement named ${name}`);
  const q = new PgDialect().sqlToQuery(build());
  return { text: q.sql, placeholders: q.params.map((p) => (p instanceof Placeholder ? p.name : String(p))) };
}

/**
 * A hot read as a named prepared statement: on a PostgreSQL server it is parsed and planned once per pooled connection
 * instead of on every call (planning the order document query costs more than running it), and its SQL text is built
 * once per database or transaction rather than per call. `build` writes the query with `sql.placeholder('name')` for
 * each value; the returned function takes the executor and the values. A name must always stand for the same SQL.
 * PGlite ignores the name and runs the query as usual.
 */
export function preparedRows<T, P extends Record<string, unknown>>(
  name: string,
  build: () => SQL,
): (ex: Executor, values: P) => Promise<T[]> {
  PREPARED.set(name, build);
  let query: { sql: string; params: unknown[] } | undefined;
  const prepared = new WeakMap<Executor, PreparedRaw>();
  return async (ex, values) => {
    let q = prepared.get(ex);
    if (!q) {
      const runner = ex as unknown as QueryRunner;
      q = runner.session.prepareQuery((query ??= runner.dialect.sqlToQuery(build())), undefined, name, false);
      prepared.set(ex, q);
    }
    return ((await q.execute(values)) as { rows: T[] }).rows;
  };
}

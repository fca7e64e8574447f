import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Repository functions take either the database or an open transaction. */
export type Executor = Db | Tx;

export interface Database {
  readonly kind: 'embedded' | 'server';
  readonly db: Db;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for a PostgreSQL server; absent for the embedded database. */
  url?: string | undefined;
  /** Where the embedded database keeps its files; absent = in memory. */
  dataDir?: string | undefined;
  /** Connections in the server pool. */
  poolSize?: number | undefined;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens the embedded (PGlite) or server (PostgreSQL) database and brings its schema up to date. */
export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const database = opts.url ? await openServer(opts.url, opts.poolSize ?? 10) : await openEmbedded(opts.dataDir);
  return database;
}

async function openServer(url: string, poolSize: number): Promise<Database> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  // bigint (int8) columns hold minor units well inside the safe integer range.
  pg.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = drizzle(pool, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder, migrationsSchema: 'public' });
  return {
    kind: 'server',
    db,
    transaction: (fn) => db.transaction(fn),
    close: () => pool.end(),
  };
}

async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  const [{ PGlite, types }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir ?? undefined, { parsers: { [types.INT8]: (v: string) => Number(v) } });
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder, migrationsSchema: 'public' });
  return {
    kind: 'embedded',
    db,
    transaction: (fn) => db.transaction(fn),
    close: () => client.close(),
  };
}

/** The parts of a drizzle database or transaction that run a raw query under a statement name. */
interface NamedQueryRunner {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: boolean): { execute(): Promise<unknown> } };
}

/**
 * Rows of a raw query, the same shape on both drivers. With `name`, the query is a named prepared statement on a
 * PostgreSQL server: parsed and planned once per pooled connection instead of on every call, which for the order
 * document query costs more than running it. A name must always stand for the same SQL text (parameters aside).
 * PGlite ignores the name.
 */
export async function rows<T>(ex: Executor, query: SQL, name?: string): Promise<T[]> {
  if (name) {
    // drizzle has no public API for a named raw statement; its own prepared queries go through this same path.
    const runner = ex as unknown as NamedQueryRunner;
    const result = (await runner.session.prepareQuery(runner.dialect.sqlToQuery(query), undefined, name, false).execute()) as { rows: T[] };
    return result.rows;
  }
  const result = (await ex.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Trial stores: each trial of a simulation runs on a fresh copy of its starting store. The store is loaded once
 * (per store file and clock) into a template; a trial gets a copy of it — on a PostgreSQL server a new database,
 * `create database … template …`; on the embedded database the trial's tables reset to a snapshot — never a
 * re-import.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../app/context.js';
import { loadDemo } from '../app/demo/load-demo.js';
import { createOrder } from '../app/ingest/create-order.js';
import { CustomerInput, OrderInput, ProductInput } from '../app/ingest/schemas.js';
import { upsertCustomer } from '../app/ingest/upsert-customer.js';
import { upsertProduct } from '../app/ingest/upsert-product.js';
import { builtinIms } from '../connectors/ims/builtin.js';
import { openDatabase, type Database } from '../db/database.js';
import type { Actor } from '../domain/timeline.js';
import { FixedClock } from '../kernel/clock.js';

export type TrialContext = AppContext & { clock: FixedClock };

export interface TrialStore {
  ctx: TrialContext;
  close(): Promise<void>;
}

export interface TrialStores {
  readonly kind: 'embedded' | 'server';
  /** A fresh copy of the starting store (`demo` or a YAML file of records), its clock at `now`. */
  fresh(store: string, now: string): Promise<TrialStore>;
  close(): Promise<void>;
}

const LOADER: Actor = { kind: 'system', id: 'simulation' };

/** Loads a starting store: the demo store, or a YAML file of customers, products and orders (ingest records). */
export async function loadStartingStore(ctx: AppContext, store: string): Promise<void> {
  if (store === 'demo') {
    // Without the demo's conversations: a simulation's only conversation is its simulated customer's.
    await loadDemo(ctx, { customers: 50, orders: 200, seed: 1, conversations: false }, { actor: LOADER });
    return;
  }
  const s = (parseYaml(readFileSync(store, 'utf8')) ?? {}) as {
    customers?: unknown[];
    products?: unknown[];
    orders?: unknown[];
  };
  for (const c of s.customers ?? []) await upsertCustomer(ctx, CustomerInput.parse(c), { actor: LOADER });
  for (const p of s.products ?? []) await upsertProduct(ctx, ProductInput.parse(p), { actor: LOADER });
  for (const o of s.orders ?? []) await createOrder(ctx, OrderInput.parse(o), { actor: LOADER });
}

const contextOf = (database: Database, now: string): TrialContext => {
  const clock = new FixedClock(now);
  // Trials run on the built-in IMS stand-in and never push to Shopify.
  return { database, clock, ims: builtinIms(database, clock) };
};

/** Copies every table of the store (and where its sequences stand) into `schema`: a snapshot to reset to. */
export function snapshotSql(schema: string): string {
  return `do $$ declare t text; begin
    create schema ${schema};
    for t in select tablename from pg_tables where schemaname = 'public' and tablename <> '__drizzle_migrations' loop
      execute format('create table ${schema}.%I as table public.%I', t, t);
    end loop;
    create table ${schema}.sim_sequences as
      select sequencename as name, last_value from pg_sequences where schemaname = 'public';
  end $$`;
}

/** Puts the store back as `schema` holds it: every table emptied and refilled, ids as they were, every sequence too. */
export function resetSql(schema: string): string {
  return `do $$ declare t text; s record; begin
    set local session_replication_role = replica;
    execute (select 'truncate ' || string_agg(format('public.%I', tablename), ', ')
      from pg_tables where schemaname = 'public' and tablename <> '__drizzle_migrations');
    for t in select tablename from pg_tables where schemaname = '${schema}' and tablename <> 'sim_sequences' loop
      execute format('insert into public.%I overriding system value select * from ${schema}.%I', t, t);
    end loop;
    for s in select name, last_value from ${schema}.sim_sequences loop
      perform setval(format('public.%I', s.name), coalesce(s.last_value, 1), s.last_value is not null);
    end loop;
  end $$`;
}

interface Embedded {
  database: Database;
  /** Snapshot schema per starting store (and clock) loaded in this database. */
  snapshots: Map<string, string>;
}

/**
 * Trial stores on the embedded database. Starting a PGlite costs seconds (the WebAssembly Postgres, its files), so
 * each concurrent trial keeps one: the starting store is loaded once per database and kept as a snapshot (a copy of
 * every table in its own schema), and each trial resets the tables and sequences to it, in one statement.
 */
export function embeddedTrialStores(): TrialStores {
  const idle: Embedded[] = [];
  const all: Embedded[] = [];
  return {
    kind: 'embedded',
    async fresh(store, now) {
      let e = idle.pop();
      if (!e) {
        const database = await openDatabase();
        await database.db.execute(sql.raw(snapshotSql('sim_empty')));
        e = { database, snapshots: new Map() };
        all.push(e);
      }
      const key = `${store}\n${now}`;
      let schema = e.snapshots.get(key);
      if (schema) await e.database.db.execute(sql.raw(resetSql(schema)));
      else {
        await e.database.db.execute(sql.raw(resetSql('sim_empty')));
        await loadStartingStore(contextOf(e.database, now), store);
        schema = `sim_store_${e.snapshots.size + 1}`;
        await e.database.db.execute(sql.raw(snapshotSql(schema)));
        e.snapshots.set(key, schema);
      }
      const held = e;
      return { ctx: contextOf(held.database, now), close: async () => void idle.push(held) };
    },
    async close() {
      for (const e of all.splice(0)) await e.database.close();
      idle.length = 0;
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * Trial stores on a PostgreSQL server (`url` names a database the user may create databases from): a template
 * database per starting store, each trial `create database … template` it, dropped after the trial.
 */
export function serverTrialStores(url: string): TrialStores {
  const tag = randomBytes(3).toString('hex');
  const templates = new Map<string, Promise<string>>();
  let n = 0;
  let creating: Promise<unknown> = Promise.resolve();
  // One create at a time: PostgreSQL refuses to copy a template another statement is copying or connected to.
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = creating.then(fn, fn);
    creating = p.catch(() => undefined);
    return p;
  };
  const template = (store: string, now: string) => {
    const key = `${store}\n${now}`;
    let t = templates.get(key);
    if (!t) {
      const name = `sopdesk_simtpl_${tag}_${templates.size}`;
      t = serially(async () => {
        await admin(url, `create database ${name}`);
        const database = await openDatabase({ url: withDb(url, name), poolSize: 2 });
        try {
          await loadStartingStore(contextOf(database, now), store);
        } finally {
          await database.close();
        }
        return name;
      });
      templates.set(key, t);
    }
    return t;
  };
  return {
    kind: 'server',
    async fresh(store, now) {
      const from = await template(store, now);
      const name = `sopdesk_sim_${tag}_${++n}`;
      await serially(() => admin(url, `create database ${name} template ${from}`));
      const database = await openDatabase({ url: withDb(url, name), poolSize: 2 });
      return {
        ctx: contextOf(database, now),
        close: async () => {
          await database.close();
          await admin(url, `drop database if exists ${name} with (force)`);
        },
      };
    },
    async close() {
      for (const t of templates.values()) {
        const name = await t.catch(() => undefined);
        if (name) await admin(url, `drop database if exists ${name} with (force)`);
      }
      templates.clear();
    },
  };
}

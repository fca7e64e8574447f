/**
 * Bulk inserts for the snapshot importer: one statement per table and batch,
 * `insert … select … from unnest($1::text[], $2::text[], …)`. One array parameter per column keeps the
 * statement small whatever the batch size (no 65,535-parameter limit) and works on PGlite and node-postgres.
 */
import { getTableColumns, getTableName, sql, type InferInsertModel, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../database.js';

interface ColumnPlan {
  key: string;
  name: string;
  sqlType: string;
  json: boolean;
}

const plans = new WeakMap<PgTable, ColumnPlan[]>();

function planOf(table: PgTable): ColumnPlan[] {
  let plan = plans.get(table);
  if (!plan) {
    plan = Object.entries(getTableColumns(table))
      // Columns the database fills (bigserial) are left out.
      .filter(([, c]) => !(c.getSQLType() === 'bigserial' || c.getSQLType() === 'serial'))
      .map(([key, c]) => ({
        key,
        name: c.name,
        sqlType: c.getSQLType(),
        json: c.getSQLType() === 'jsonb' || c.getSQLType() === 'json',
      }));
    plans.set(table, plan);
  }
  return plan;
}

function toText(v: unknown, json: boolean): string | null {
  if (v === null || v === undefined) return null;
  if (json) return JSON.stringify(v);
  return String(v);
}

/**
 * Inserts `rows` into `table` in one statement. A column missing from a row is inserted as null
 * (callers pass complete rows; the table's own defaults are not applied).
 */
export async function insertMany<T extends PgTable>(
  ex: Executor,
  table: T,
  rows: readonly InferInsertModel<T>[],
): Promise<void> {
  if (rows.length === 0) return;
  const plan = planOf(table);
  const arrays = plan.map((c) => rows.map((r) => toText((r as Record<string, unknown>)[c.key], c.json)));
  const columns = sql.join(
    plan.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  const unnestArgs = sql.join(
    arrays.map((a) => sql`${sql.param(a)}::text[]`),
    sql`, `,
  );
  const selects = sql.join(
    plan.map((c, i) => sql`${sql.identifier(`c${i}`)}::${sql.raw(c.sqlType)}`),
    sql`, `,
  );
  const aliases = sql.join(
    plan.map((_, i) => sql.identifier(`c${i}`)),
    sql`, `,
  );
  const query: SQL = sql`insert into ${sql.identifier(getTableName(table))} (${columns}) select ${selects} from unnest(${unnestArgs}) as u(${aliases})`;
  await ex.execute(query);
}

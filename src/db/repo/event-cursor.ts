/**
 * Read cursors over the tables whose rows take their `seq` before their transaction commits — timeline events and
 * messages. Such a row can commit after a row with a higher seq was committed and read, so a plain "seq > N" reader
 * would miss it for good. A cursor says exactly which rows a reader had seen:
 *
 * - `horizon` (H): this database's oldest running transaction, read in a statement of its own BEFORE the read
 *   (`oldest_running_tx()`): every transaction below it had ended before the read's snapshot, so its rows were seen;
 * - `seq` (L): the highest seq the read saw;
 * - `seen` (S): the seqs at or below L the read saw from transactions at or above H (usually none, or a few).
 *
 * A row comes after the cursor when its seq is above L, or it belongs to a transaction at or above H, has a seq at or
 * below L and is not in S: it had not committed when the read was made. Nothing is missed and nothing already seen is
 * read again. A cursor without a horizon (stored before horizons existed) is "seq above L", as before.
 *
 * `seen` may be limited to the rows a reader cares about (a filter on the table): the cursor is then exact for those
 * rows, which are the only ones it is asked about.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';

export interface ReadCursor {
  seq: number;
  /** Null: no late rows are looked for (a cursor made before horizons, or one standing at the start). */
  horizon: number | null;
  seen: number[];
}

/** Before every row: everything is after it. */
export const START: ReadCursor = { seq: 0, horizon: null, seen: [] };

/** A cursor's parts as SQL, whether stored in columns, in a JSON document, or given as values. */
export interface CursorSql {
  seq: SQL;
  horizon: SQL;
  /** True when the seq given is not in the cursor's `seen`. */
  notSeen: (seq: SQL) => SQL;
}

const bigints = (xs: readonly number[]) => sql`${`{${xs.map((x) => Math.trunc(x)).join(',')}}`}::bigint[]`;

/** A cursor held in memory, as SQL values. */
export function cursorValues(c: ReadCursor): CursorSql {
  return {
    seq: sql`${c.seq}::bigint`,
    horizon: sql`${c.horizon}::bigint`,
    notSeen: (seq) => sql`${seq} <> all(${bigints(c.seen)})`,
  };
}

/**
 * A cursor stored in three columns (`<prefix>_seq`, `<prefix>_horizon`, `<prefix>_seen bigint[]`) of `row`; no row
 * (an outer join's nulls) is the start.
 */
export function cursorColumns(row: SQL, prefix: string): CursorSql {
  const col = (name: string) => sql`${row}.${sql.identifier(`${prefix}_${name}`)}`;
  return {
    seq: sql`coalesce(${col('seq')}, 0)`,
    horizon: col('horizon'),
    notSeen: (seq) => sql`${seq} <> all(${col('seen')})`,
  };
}

/** Whether row `r` (with `seq` and `tx`) comes after cursor `c`: never null, so it can be negated. */
export const isAfter = (r: SQL, c: CursorSql) =>
  sql`(${r}.seq > ${c.seq} or (coalesce(${r}.tx >= ${c.horizon}, false) and ${r}.seq <= ${c.seq} and ${c.notSeen(sql`${r}.seq`)}))`;

/**
 * Whether a row of `from` (aliased `r`) matching `where` comes after every cursor of `cs`: as two subqueries, one by
 * seq and one by transaction id, each an index range — one condition with an `or` would read the whole table.
 */
export function existsAfter(from: SQL, r: SQL, where: SQL, cs: readonly CursorSql[]): SQL {
  const [bySeq, byTx] = afterParts(r, cs);
  return sql`(exists (select 1 from ${from} where ${where} and ${bySeq})
    or exists (select 1 from ${from} where ${where} and ${byTx}))`;
}

/** `isAfter` every cursor, split into the rows above every cursor's seq and the late ones (by transaction id). */
export function afterParts(r: SQL, cs: readonly CursorSql[]): [SQL, SQL] {
  const bySeq = sql.join(
    cs.map((c) => sql`${r}.seq > ${c.seq}`),
    sql` and `,
  );
  const horizon =
    cs.length === 1
      ? cs[0]!.horizon
      : sql`least(${sql.join(
          cs.map((c) => c.horizon),
          sql`, `,
        )})`;
  const byTx = sql`${r}.tx >= ${horizon} and not (${bySeq}) and ${sql.join(
    cs.map((c) => isAfter(r, c)),
    sql` and `,
  )}`;
  return [bySeq, byTx];
}

/** This database's oldest running transaction now: the first statement of taking a cursor, before the read. */
export async function readHorizon(ex: Executor): Promise<number> {
  const [r] = await rows<{ h: number | string }>(ex, sql`select oldest_running_tx() as h`);
  return Number(r!.h);
}

/**
 * The second statement: the cursor at `horizon` over the timeline — its highest seq, and the seqs of the rows
 * matching `where` (on `e`) that transactions at or above `horizon` wrote.
 */
export async function timelineCursor(ex: Executor, horizon: number, where: SQL = sql`true`): Promise<ReadCursor> {
  const [r] = await rows<{ seq: number | string | null; seen: (number | string)[] | string }>(
    ex,
    sql`select l.seq, array(select e.seq from timeline_events e
        where e.tx >= ${horizon}::bigint and e.seq <= l.seq and ${where} order by e.seq)::float8[] as seen
      from (select coalesce(max(seq), 0) as seq from timeline_events) l`,
  );
  return { seq: Number(r!.seq), horizon, seen: parseSeqs(r!.seen) };
}

/** A bigint or float array as the driver hands it over: an array, or PostgreSQL's text form (`{1,2}`). */
export function parseSeqs(v: (number | string)[] | string | null): number[] {
  if (v === null) return [];
  const xs = typeof v === 'string' ? v.replace(/[{}]/g, '').split(',').filter(Boolean) : v;
  return xs.map(Number);
}

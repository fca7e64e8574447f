import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * Several inserts as one statement: `main`, with each of `inserts` (those not undefined) a data-modifying CTE of it.
 * PostgreSQL runs them as one statement and checks foreign keys at its end, so rows may refer to each other whatever
 * their place; one round trip instead of one per table.
 */
export function withInserts(inserts: readonly (SQLWrapper | undefined)[], main: SQLWrapper): SQL {
  const ctes = inserts
    .filter((q): q is SQLWrapper => q !== undefined)
    .map((q, i) => sql`${sql.raw(`insert_${i}`)} as (${q.getSQL()})`);
  return ctes.length ? sql`with ${sql.join(ctes, sql`, `)} ${main.getSQL()}` : main.getSQL();
}

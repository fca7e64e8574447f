/**
 * Rows that leave the database as one JSON document (an order with its lines, a return with its items): read in one
 * statement instead of one per table. Both drivers hand the document back parsed (pg) or as text (PGlite).
 */

/**
 * A timestamptz as PostgreSQL and PGlite write it: in JSON "2026-11-20T10:00:00.123+00:00", as a column's text
 * "2026-11-20 10:00:00.123+00" (offset of the session zone).
 */
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}(:\d{2})?$/;

/**
 * Rewrites every timestamp of the document — any `…At` field, at any depth — to ISO-8601 UTC with milliseconds.
 * Walking the document rather than listing fields means a timestamp added to a query later is covered too.
 */
function utcTimestamps(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) utcTimestamps(x);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x === 'string') {
        if (k.endsWith('At') && PG_TIMESTAMP.test(x)) o[k] = new Date(x).toISOString();
      } else if (x !== null && typeof x === 'object') {
        utcTimestamps(x);
      }
    }
  }
}

/** The document, parsed if it came as text, with its timestamps in ISO-8601 UTC. */
export function fromDocument<T>(raw: T | string): T {
  const doc = typeof raw === 'string' ? (JSON.parse(raw) as T) : raw;
  utcTimestamps(doc);
  return doc;
}

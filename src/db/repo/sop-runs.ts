/**
 * SOP runs, their history and the SOP texts they run on. Every row read passes through `fromDocument`: timestamp
 * columns come back as PostgreSQL's text ("2026-11-20 10:00:00+00"), the API answers ISO-8601 UTC (…"T10:00:00.000Z").
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { SopRunStatus } from '../../domain/sop-run.js';
import { rows, type Executor, type Tx } from '../database.js';
import { sopDocuments, sopRunSteps, sopRuns, timelineEvents } from '../schema/index.js';
import { fromDocument } from './documents.js';
import { afterParts, cursorValues, existsAfter, isAfter, type CursorSql, type ReadCursor } from './event-cursor.js';

export type SopRunRow = typeof sopRuns.$inferSelect;
export type SopRunStepRow = typeof sopRunSteps.$inferSelect;

export async function saveSopDocument(tx: Tx, doc: typeof sopDocuments.$inferInsert): Promise<void> {
  await tx.insert(sopDocuments).values(doc).onConflictDoNothing();
}

export async function insertSopRun(tx: Tx, row: typeof sopRuns.$inferInsert): Promise<void> {
  await tx.insert(sopRuns).values(row);
}

/** The run with the SOP text it runs on, in one round trip. */
export async function getSopRunWithSource(
  ex: Executor,
  id: string,
): Promise<(SopRunRow & { source: string }) | undefined> {
  const [row] = await ex
    .select({ run: sopRuns, source: sopDocuments.source })
    .from(sopRuns)
    .innerJoin(sopDocuments, eq(sopDocuments.hash, sopRuns.sopHash))
    .where(eq(sopRuns.id, id));
  return row ? fromDocument({ ...row.run, source: row.source }) : undefined;
}

export async function listSopRuns(
  ex: Executor,
  filter: { customerId?: string | undefined; status?: SopRunStatus | undefined; limit: number },
): Promise<SopRunRow[]> {
  const where = and(
    filter.customerId ? eq(sopRuns.customerId, filter.customerId) : undefined,
    filter.status ? eq(sopRuns.status, filter.status) : undefined,
  );
  return fromDocument(
    await ex.select().from(sopRuns).where(where).orderBy(desc(sopRuns.createdAt)).limit(filter.limit),
  );
}

/** Saves only if nobody saved since `revision` was read; returns whether it did. */
export async function updateSopRun(
  tx: Tx,
  id: string,
  revision: number,
  patch: Pick<SopRunRow, 'status' | 'currentStepId' | 'state' | 'customerId' | 'updatedAt' | 'finishedAt'>,
): Promise<boolean> {
  const done = await tx
    .update(sopRuns)
    .set({ ...patch, revision: revision + 1 })
    .where(and(eq(sopRuns.id, id), eq(sopRuns.revision, revision)))
    .returning({ id: sopRuns.id });
  return done.length === 1;
}

export async function insertSopRunSteps(tx: Tx, rows: (typeof sopRunSteps.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(sopRunSteps).values(rows);
}

export async function listSopRunSteps(ex: Executor, runId: string): Promise<SopRunStepRow[]> {
  return fromDocument(
    await ex.select().from(sopRunSteps).where(eq(sopRunSteps.runId, runId)).orderBy(asc(sopRunSteps.seq)),
  );
}

/**
 * The timeline events of `types` (for the customer, when known) after the cursor, oldest first, at most 100: the
 * events after its seq, and the late ones (by transaction id).
 */
export async function timelineEventsAfter(
  ex: Executor,
  q: { types: string[]; after: ReadCursor; customerId: string | null },
) {
  const e = sql.raw('e');
  const where = eventTypesOf(q);
  const [bySeq, byTx] = afterParts(e, [cursorValues(q.after)]);
  // Two index scans (by seq, by transaction id): one condition with an `or` would read the whole timeline.
  return fromDocument(
    await ex
      .select()
      .from(timelineEvents)
      .where(
        sql`${timelineEvents.id} in (select id from (
          (select e.id from timeline_events e where ${where} and ${bySeq} order by e.seq limit 100)
          union all (select e.id from timeline_events e where ${where} and ${byTx})) found)`,
      )
      .orderBy(asc(timelineEvents.seq))
      .limit(100),
  );
}

/** Events (`e`) of one of `types`, for the customer when known. */
export function eventTypesOf(q: { types: string[]; customerId: string | null }): SQL {
  // An SOP may wait for any dotted name; one the timeline never records is simply never found.
  return sql`e.type in (${sql.join(
    q.types.map((t) => sql`${t}`),
    sql`, `,
  )}) and ${q.customerId ? sql`e.customer_id = ${q.customerId}` : sql`true`}`;
}

/**
 * Whether the timeline event `e` is of a kind the waiting run `r` looks at: of its wait's event type or one of its
 * other events (`otherEvents`), for its customer (any customer's when the run does not know its own). Those after the
 * wait began are after `waitCursor(r)`.
 */
export const eventOfWait = (r: SQL, e: SQL) => sql`(${e}.type = ${r}.state -> 'wait' ->> 'event'
    or coalesce(${r}.state -> 'wait' -> 'otherEvents', '[]'::jsonb) @> jsonb_build_array(${e}.type))
  and (${r}.customer_id is null or ${e}.customer_id = ${r}.customer_id)`;

/**
 * Where the waiting run `r` began to look at the timeline, as kept in its state (`wait.sinceSeq`, and for a wait
 * begun since read cursors: `sinceHorizon`, `sinceSeen`); a run that has only `sinceSeq` looks after that seq.
 */
export const waitCursor = (r: SQL): CursorSql => ({
  seq: sql`(${r}.state -> 'wait' ->> 'sinceSeq')::bigint`,
  horizon: sql`(${r}.state -> 'wait' ->> 'sinceHorizon')::bigint`,
  notSeen: (seq) => sql`not coalesce(${r}.state -> 'wait' -> 'sinceSeen', '[]'::jsonb) @> to_jsonb(${seq})`,
});

/**
 * Runs waiting at a wait step that may go on: an event they look at came after the wait began, after the cursor
 * `after` and not after `upTo` (a pass's two read cursors), or their deadline passed. With `leaveToAi`, runs the AI
 * agent leads (the run of a conversation it is not paused on, or any run of a conversation a turn holds now) are left
 * to its turns, which advance them and tell the customer.
 */
export async function findWaitsToAdvance(
  ex: Executor,
  q: { after: ReadCursor; upTo: ReadCursor; now: Date; leaveToAi: boolean },
): Promise<{ id: string; revision: number; stepId: string }[]> {
  const now = sql`${q.now.toISOString()}::timestamptz`;
  const [r, e] = [sql.raw('r'), sql.raw('e')];
  const events = existsAfter(
    sql`timeline_events e`,
    e,
    sql`${eventOfWait(r, e)} and not ${isAfter(e, cursorValues(q.upTo))}`,
    [cursorValues(q.after), waitCursor(r)],
  );
  return rows<{ id: string; revision: number; stepId: string }>(
    ex,
    sql`select r.id, r.revision, r.state -> 'wait' ->> 'stepId' as "stepId" from sop_runs r
      where r.status = 'waiting' and r.state -> 'wait' ->> 'approvalId' is null
        and ((r.state -> 'wait' ->> 'until')::timestamptz <= ${now} or ${events})
        ${
          q.leaveToAi
            ? sql`and not exists (select 1 from ai_conversations a where (a.run_id = r.id and not a.paused)
                or (a.conversation_id = r.conversation_id and a.leased_until > ${now}))`
            : sql``
        }
      order by r.updated_at`,
  );
}

/**
 * Takes a waiting run for one process to advance: bumps its revision if it is still the one read, so of two processes
 * only one gets it (and a save by anyone who read it before is refused, as any concurrent save is).
 */
export async function claimWaitingRun(ex: Executor, id: string, revision: number): Promise<boolean> {
  const claimed = await rows<{ id: string }>(
    ex,
    sql`update sop_runs set revision = revision + 1
      where id = ${id} and revision = ${revision} and status = 'waiting' returning id`,
  );
  return claimed.length === 1;
}

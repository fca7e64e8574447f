import { sql, type SQL } from 'drizzle-orm';
import type { ActorKind } from '../../domain/timeline.js';
import { rows, type Executor } from '../database.js';

export interface TimelineRow {
  id: string;
  seq: number;
  type: string;
  orderId: string | null;
  actorKind: ActorKind;
  actorId: string | null;
  data: Record<string, unknown>;
  /** ISO-8601 UTC. */
  occurredAt: string;
}

/**
 * A customer's events, newest first: only the `types` given (exact names) and the `families` (a prefix such as
 * `order.`), when either is given; only those before the `beforeSeq` cursor.
 */
export async function findCustomerEvents(
  ex: Executor,
  q: { customerId: string; types: string[]; families: string[]; beforeSeq?: number | undefined; limit: number },
): Promise<TimelineRow[]> {
  const conds: SQL[] = [sql`customer_id = ${q.customerId}`];
  const parts: SQL[] = [];
  if (q.types.length)
    parts.push(
      sql`type in (${sql.join(
        q.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  for (const f of q.families) parts.push(sql`starts_with(type, ${f})`);
  if (parts.length) conds.push(sql`(${sql.join(parts, sql` or `)})`);
  if (q.beforeSeq !== undefined) conds.push(sql`seq < ${q.beforeSeq}`);
  const r = await rows<{
    id: string;
    seq: number | string;
    type: string;
    order_id: string | null;
    actor_kind: ActorKind;
    actor_id: string | null;
    data: Record<string, unknown> | string;
    at: string;
  }>(
    ex,
    sql`select id, seq, type, order_id, actor_kind, actor_id, data,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
        from timeline_events where ${sql.join(conds, sql` and `)} order by seq desc limit ${q.limit}`,
  );
  return r.map((e) => ({
    id: e.id,
    seq: Number(e.seq),
    type: e.type,
    orderId: e.order_id,
    actorKind: e.actor_kind,
    actorId: e.actor_id,
    // The event's data as it was written (a driver may hand jsonb over as text).
    data: typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data,
    occurredAt: e.at,
  }));
}

/** An event as the live stream sends it: a timeline row with its customer and conversation. */
export interface StreamEventRow extends TimelineRow {
  customerId: string | null;
  /** The conversation an inbox event is about (`data.conversationId`); null for the others. */
  conversationId: string | null;
}

/**
 * Events by seq, oldest first: the seqs a notification named, those in a range (`from`…`to`), or those a stream that
 * last saw the event `after` may have missed (at most `limit`), each optionally only of one customer and one
 * conversation. Those are the events after it and the events of every transaction that had not ended when it was written
 * (`tx` at or above its `horizon`, this database's oldest running transaction then): such a transaction can commit later
 * than it with a lower seq. Everything below its horizon had committed before it, and so had reached the stream before
 * it did. A few of these the stream may have had
 * already (they committed just before it).
 */
export async function findStreamEvents(
  ex: Executor,
  q:
    | { seqs: readonly number[] }
    | { from: number; to: number }
    | { after: number; limit: number; customerId?: string | undefined; conversationId?: string | undefined },
): Promise<StreamEventRow[]> {
  const columns = sql`id, seq, type, customer_id, order_id, data->>'conversationId' as conversation_id, actor_kind, actor_id,
    data, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at`;
  let query: SQL;
  if ('seqs' in q)
    query = sql`select ${columns} from timeline_events
      where seq = any(${`{${q.seqs.map(Number).join(',')}}`}::bigint[]) order by seq`;
  else if ('from' in q)
    query = sql`select ${columns} from timeline_events where seq between ${q.from} and ${q.to} order by seq`;
  else {
    const only = sql.join(
      [
        q.customerId ? sql` and customer_id = ${q.customerId}` : sql``,
        q.conversationId ? sql` and data->>'conversationId' = ${q.conversationId}` : sql``,
      ],
      sql``,
    );
    // Two index scans (by seq, by tx): one condition with an `or` would read the whole timeline.
    query = sql`(select ${columns} from timeline_events where seq > ${q.after}${only} order by seq limit ${q.limit})
      union all
      (select ${columns} from timeline_events where seq < ${q.after}${only}
         and tx >= (select horizon from timeline_events where seq = ${q.after})
         and tx <> (select tx from timeline_events where seq = ${q.after}))
      order by seq limit ${q.limit}`;
  }
  const r = await rows<{
    id: string;
    seq: number | string;
    type: string;
    customer_id: string | null;
    order_id: string | null;
    conversation_id: string | null;
    actor_kind: ActorKind;
    actor_id: string | null;
    data: Record<string, unknown> | string;
    at: string;
  }>(ex, query);
  return r.map((e) => ({
    id: e.id,
    seq: Number(e.seq),
    type: e.type,
    customerId: e.customer_id,
    orderId: e.order_id,
    conversationId: e.conversation_id,
    actorKind: e.actor_kind,
    actorId: e.actor_id,
    data: typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data,
    occurredAt: e.at,
  }));
}

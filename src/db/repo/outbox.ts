/**
 * The outbox's own statements: the dispatcher's claim and the outcome of an attempt, and the dead letters (rows given
 * up after the last attempt of the retry schedule) that people list and retry.
 *
 * Lock order: an outbox row before anything its delivery touches (the message it sends, the refund it pushes). The
 * claim locks its rows first and the message in `claimDelivery` after; every later transaction on a claimed row does
 * the same, so a claim and an outcome never wait for each other in a circle.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor, type Tx } from '../database.js';
import { formatOrderNumber } from '../../kernel/ids.js';
import { truncateText } from '../../kernel/text.js';

export interface ClaimedRow {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Locks up to `limit` rows ready to deliver. A customer's rows go out in the order they were written, whoever
 * dispatches: only a customer's oldest row still to deliver can be claimed — one waiting out its retry delay
 * (`leased_until`) still holds the later ones back — until it is delivered or given up.
 */
export const claimRows = async (tx: Tx, now: Date, limit: number): Promise<ClaimedRow[]> =>
  (
    await rows<Omit<ClaimedRow, 'payload'> & { payload: ClaimedRow['payload'] | string }>(
      tx,
      sql`
  select id, topic, payload, attempts from outbox o
  where delivered_at is null and failed_at is null and topic <> 'webhook.delivery'
    and (leased_until is null or leased_until <= ${now.toISOString()}::timestamptz)
    and not exists (select 1 from outbox e where e.customer_id = o.customer_id and e.delivered_at is null and e.failed_at is null
                    and e.seq < o.seq)
  order by seq limit ${limit}
  for update of o skip locked`,
    )
  ).map((r) => ({ ...r, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }));

/** Marks rows delivered, all in one statement; each counts the attempt that delivered it. */
export const markDelivered = (tx: Tx, ids: readonly string[], now: Date) =>
  tx.execute(sql`update outbox set delivered_at = ${now.toISOString()}::timestamptz, attempts = attempts + 1, leased_until = null, last_error = null
                 where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);

/** Puts a row out of reach of every claim until `until`, without counting an attempt. */
export const leaseUntil = (tx: Tx, id: string, until: Date) =>
  tx.execute(sql`update outbox set leased_until = ${until.toISOString()}::timestamptz where id = ${id}`);

/**
 * Counts a failed attempt and keeps its error: the row is tried again after `retryAt`, or, with `retryAt` undefined
 * (that was the last attempt), given up at `now`.
 */
export const recordFailedAttempt = (tx: Tx, id: string, error: string, retryAt: Date | undefined, now: Date) =>
  tx.execute(sql`update outbox set attempts = attempts + 1, last_error = ${truncateText(error, 500)},
                   leased_until = ${retryAt ? retryAt.toISOString() : null}::timestamptz,
                   failed_at = ${retryAt ? null : now.toISOString()}::timestamptz
                 where id = ${id}`);

export interface FailedRow {
  id: string;
  seq: number;
  topic: string;
  customerId: string | null;
  customerName: string | null;
  orderId: string | null;
  orderName: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string;
  /** For a `message.sent` row: the message and its conversation. */
  messageId: string | null;
  conversationId: string | null;
}

interface FailedDbRow {
  id: string;
  seq: number | string;
  topic: string;
  customer_id: string | null;
  customer_name: string | null;
  order_id: string | null;
  order_number: number | string | null;
  attempts: number;
  last_error: string | null;
  created_at: string | Date;
  failed_at: string | Date;
  message_id: string | null;
  conversation_id: string | null;
}

const iso = (v: string | Date) => new Date(v).toISOString();

/** The given-up rows, newest first, `limit` of them before `beforeSeq`. */
export async function listFailedRows(
  ex: Executor,
  opts: { limit: number; beforeSeq?: number | undefined },
): Promise<FailedRow[]> {
  const found = await rows<FailedDbRow>(
    ex,
    sql`
    select o.id, o.seq, o.topic, o.customer_id, c.name as customer_name, o.payload->>'orderId' as order_id, ord.number as order_number,
           o.attempts, o.last_error, o.created_at, o.failed_at,
           case when o.topic = 'message.sent' then o.payload->'data'->>'messageId' end as message_id,
           case when o.topic = 'message.sent' then o.payload->'data'->>'conversationId' end as conversation_id
    from outbox o
    left join customers c on c.id = o.customer_id
    left join orders ord on ord.id = o.payload->>'orderId'
    where o.failed_at is not null and o.delivered_at is null and o.topic <> 'webhook.delivery'
      ${opts.beforeSeq !== undefined ? sql`and o.seq < ${opts.beforeSeq}` : sql``}
    order by o.seq desc limit ${opts.limit}`,
  );
  return found.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    topic: r.topic,
    customerId: r.customer_id,
    customerName: r.customer_name,
    orderId: r.order_id,
    orderName: r.order_number === null ? null : formatOrderNumber(Number(r.order_number)),
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    failedAt: iso(r.failed_at),
    messageId: r.message_id,
    conversationId: r.conversation_id,
  }));
}

export interface RetriedRow {
  topic: string;
  customerId: string | null;
  orderId: string | null;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
}

/**
 * Puts a given-up row back in the queue with a fresh schedule (attempts 0, due at once); its message, for a
 * `message.sent` row, back to `queued`. The row first, then the message (the claim's lock order). Undefined when no
 * such row is given up: `state` says whether it is unknown, still being delivered, or delivered.
 */
export async function requeueFailedRow(
  tx: Tx,
  id: string,
): Promise<RetriedRow | { state: 'unknown' | 'pending' | 'delivered' }> {
  const [row] = await rows<{
    topic: string;
    customer_id: string | null;
    order_id: string | null;
    attempts: number;
    last_error: string | null;
    message_id: string | null;
  }>(
    tx,
    sql`
    update outbox n set failed_at = null, attempts = 0, leased_until = null
    from outbox o where o.id = n.id and n.id = ${id} and n.failed_at is not null and n.delivered_at is null
    returning n.topic, n.customer_id, n.payload->>'orderId' as order_id, o.attempts, o.last_error,
              case when n.topic = 'message.sent' then n.payload->'data'->>'messageId' end as message_id`,
  );
  if (!row) {
    const [state] = await rows<{ delivered: boolean }>(
      tx,
      sql`select delivered_at is not null as delivered from outbox where id = ${id}`,
    );
    return { state: !state ? 'unknown' : state.delivered ? 'delivered' : 'pending' };
  }
  if (row.message_id) {
    await tx.execute(
      sql`update messages set delivery = 'queued', sending_until = null where id = ${row.message_id} and delivery = 'failed'`,
    );
  }
  return {
    topic: row.topic,
    customerId: row.customer_id,
    orderId: row.order_id,
    attempts: row.attempts,
    lastError: row.last_error,
    messageId: row.message_id,
  };
}

/** Deletes at most `limit` rows delivered before `olderThan`; answers how many. */
export async function deleteDeliveredBefore(ex: Executor, olderThan: Date, limit: number): Promise<number> {
  const gone = await rows<{ id: string }>(
    ex,
    sql`
    delete from outbox where id in (
      select id from outbox where delivered_at < ${olderThan.toISOString()}::timestamptz limit ${limit})
    returning id`,
  );
  return gone.length;
}

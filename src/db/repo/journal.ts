/**
 * The write pipeline's own rows: idempotency keys, and each accepted write's timeline events with their outbox rows.
 * Every statement here is prepared once per connection and has a fixed text whatever the number of rows (rows travel as
 * one JSON parameter), because every write runs them: on a server, a statement's round trip and its parse and plan
 * cost more than the work it does.
 */
import { sql, type SQL } from 'drizzle-orm';
import { preparedRows, type Executor } from '../database.js';

export interface JournalEvent {
  id: string;
  customerId: string | null;
  orderId: string | null;
  type: string;
  actorKind: string;
  actorId: string | null;
  data: unknown;
  outboxId: string;
  /** What the outbox delivers for this event. */
  payload: unknown;
  /** The webhook event it becomes (src/domain/webhook-events.ts), or null: one outbox row per subscription to its type. */
  webhook: unknown;
}

export type IdempotencyClaim = {
  scope: string;
  key: string;
  requestHash: string;
  at: string;
};

/**
 * The statement that claims an idempotency key (one row, or none when the key was used), with the placeholders
 * `scope`, `key`, `requestHash` and `at`: on its own, or as a CTE of another statement that carries it
 * (`lockOrderClaiming`). A concurrent request with the same key waits on it until the first one commits or rolls back.
 */
export const claimStatement: SQL = sql`
  insert into idempotency_keys (scope, key, request_hash, response, created_at)
  values (${sql.placeholder('scope')}, ${sql.placeholder('key')}, ${sql.placeholder('requestHash')}, 'null'::jsonb, ${sql.placeholder('at')}::timestamptz)
  on conflict do nothing
  returning key`;

const claim = preparedRows<{ key: string }, IdempotencyClaim>('sopdesk_idempotency_claim', () => claimStatement);

/** Claims an idempotency key for this transaction; false when it was already used. */
export async function claimIdempotencyKey(ex: Executor, k: IdempotencyClaim): Promise<boolean> {
  return (await claim(ex, { scope: k.scope, key: k.key, requestHash: k.requestHash, at: k.at })).length > 0;
}

const prior = preparedRows<{ request_hash: string; response: unknown }, { scope: string; key: string }>(
  'sopdesk_idempotency_find',
  () => sql`
  select request_hash, response from idempotency_keys where scope = ${sql.placeholder('scope')} and key = ${sql.placeholder('key')}`,
);

export async function findIdempotencyKey(
  ex: Executor,
  scope: string,
  key: string,
): Promise<{ requestHash: string; response: unknown } | undefined> {
  const [r] = await prior(ex, { scope, key });
  return (
    r && { requestHash: r.request_hash, response: typeof r.response === 'string' ? JSON.parse(r.response) : r.response }
  );
}

/** The channel every accepted write's events are announced on (src/app/live/live-events.ts listens). */
export const EVENTS_CHANNEL = 'sopdesk_events';

/** Up to this many events a notification names each seq; a larger write (an import) names the range they lie in. */
export const NOTIFY_SEQS = 500;

/*
 * One statement for the end of every write: the events in order (their `seq` follows the array), an outbox row per
 * event, the response stored under the idempotency key (no key: scope and key are null and no row matches), and a
 * notification naming the events' seqs: PostgreSQL sends it when the transaction commits, never when it rolls back.
 */
const journal = preparedRows<
  unknown,
  { events: string; at: string; response: string | null; scope: string | null; key: string | null }
>(
  'sopdesk_journal_write',
  () => sql`
  with e as (
    select * from jsonb_to_recordset(${sql.placeholder('events')}::jsonb)
      as e(n int, id text, "customerId" text, "orderId" text, type text, "actorKind" text, "actorId" text, data jsonb, "outboxId" text, payload jsonb, webhook jsonb)
  ), timeline as (
    insert into timeline_events (id, customer_id, order_id, type, actor_kind, actor_id, data, occurred_at)
    select id, "customerId", "orderId", type, "actorKind", "actorId", data, ${sql.placeholder('at')}::timestamptz from e order by n
    returning seq
  ), queued as (
    insert into outbox (id, topic, payload, customer_id, created_at)
    select "outboxId", type, payload, "customerId", ${sql.placeholder('at')}::timestamptz from e order by n
  ), hooked as (
    -- One delivery per enabled subscription to the event's type; no customer, so a slow receiver holds back none of
    -- the customer's messages (src/app/webhooks/deliver-webhooks.ts delivers them). The id is derived, so it is
    -- well formed and the same for the same event and subscription.
    insert into outbox (id, topic, payload, customer_id, created_at)
    select 'obx_' || substr(md5(e.id || '/' || s.id), 1, 26), 'webhook.delivery',
           jsonb_build_object('subscriptionId', s.id, 'eventId', e.id, 'event', e.webhook), null,
           ${sql.placeholder('at')}::timestamptz
    from e join webhook_subscriptions s
      on e.webhook is not null and s.enabled and s.event_types @> jsonb_build_array(e.type)
    order by e.n, s.id
  ), stored as (
    update idempotency_keys set response = ${sql.placeholder('response')}::jsonb
    where scope = ${sql.placeholder('scope')} and key = ${sql.placeholder('key')}
  )
  select pg_notify(${sql.raw(`'${EVENTS_CHANNEL}'`)}, case when count(*) <= ${sql.raw(String(NOTIFY_SEQS))}
      then json_build_object('seqs', json_agg(seq order by seq))::text
      else json_build_object('from', min(seq), 'to', max(seq))::text end)
  from timeline having count(*) > 0`,
);

/** Writes the events with their outbox rows and, under an idempotency key, the response a retry gets back. */
export async function writeJournal(
  ex: Executor,
  w: {
    events: readonly JournalEvent[];
    at: string;
    response?: { scope: string; key: string; body: unknown } | undefined;
  },
): Promise<void> {
  if (!w.events.length && !w.response) return;
  await journal(ex, {
    events: JSON.stringify(w.events.map((e, n) => ({ n, ...e }))),
    at: w.at,
    response: w.response ? JSON.stringify(w.response.body ?? null) : null,
    scope: w.response?.scope ?? null,
    key: w.response?.key ?? null,
  });
}

/**
 * Outbound webhook subscriptions, their deliveries (outbox rows of topic `webhook.delivery`, written by the journal)
 * and the delivery log. Lock order: an outbox row before its subscription, as the claim reads them.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor, type Tx } from '../database.js';
import { truncateText } from '../../kernel/text.js';
import type { WebhookEventType } from '../../domain/webhook-events.js';

export interface SubscriptionRow {
  id: string;
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  secret: string;
  enabled: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

interface SubscriptionDbRow {
  id: string;
  url: string;
  description: string;
  event_types: WebhookEventType[] | string;
  secret: string;
  enabled: boolean;
  consecutive_failures: number;
  disabled_at: string | Date | null;
  disabled_reason: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const iso = (v: string | Date) => new Date(v).toISOString();
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const subscriptionOf = (r: SubscriptionDbRow): SubscriptionRow => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: json(r.event_types),
  secret: r.secret,
  enabled: r.enabled,
  consecutiveFailures: r.consecutive_failures,
  disabledAt: r.disabled_at === null ? null : iso(r.disabled_at),
  disabledReason: r.disabled_reason,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

const COLUMNS = sql`id, url, description, event_types, secret, enabled, consecutive_failures, disabled_at, disabled_reason, created_at, updated_at`;

export async function insertSubscription(
  tx: Tx,
  s: Pick<SubscriptionRow, 'id' | 'url' | 'description' | 'eventTypes' | 'secret' | 'enabled' | 'createdAt'>,
): Promise<SubscriptionRow> {
  const [r] = await rows<SubscriptionDbRow>(
    tx,
    sql`insert into webhook_subscriptions (id, url, description, event_types, secret, enabled, disabled_at, disabled_reason, created_at, updated_at)
        values (${s.id}, ${s.url}, ${s.description}, ${JSON.stringify(s.eventTypes)}::jsonb, ${s.secret}, ${s.enabled},
                ${s.enabled ? null : s.createdAt}::timestamptz, ${s.enabled ? null : 'disabled by an admin'},
                ${s.createdAt}::timestamptz, ${s.createdAt}::timestamptz)
        returning ${COLUMNS}`,
  );
  return subscriptionOf(r!);
}

export async function listSubscriptions(ex: Executor): Promise<SubscriptionRow[]> {
  return (
    await rows<SubscriptionDbRow>(ex, sql`select ${COLUMNS} from webhook_subscriptions order by created_at, id`)
  ).map(subscriptionOf);
}

/** The subscription, locked for the rest of the transaction. */
export async function lockSubscription(tx: Tx, id: string): Promise<SubscriptionRow | undefined> {
  const [r] = await rows<SubscriptionDbRow>(
    tx,
    sql`select ${COLUMNS} from webhook_subscriptions where id = ${id} for no key update`,
  );
  return r && subscriptionOf(r);
}

export async function findSubscription(ex: Executor, id: string): Promise<SubscriptionRow | undefined> {
  const [r] = await rows<SubscriptionDbRow>(ex, sql`select ${COLUMNS} from webhook_subscriptions where id = ${id}`);
  return r && subscriptionOf(r);
}

/** Writes every field of the (locked) subscription `s` back. */
export async function saveSubscription(tx: Tx, s: SubscriptionRow): Promise<void> {
  await tx.execute(sql`
    update webhook_subscriptions set url = ${s.url}, description = ${s.description},
      event_types = ${JSON.stringify(s.eventTypes)}::jsonb, secret = ${s.secret}, enabled = ${s.enabled},
      consecutive_failures = ${s.consecutiveFailures}, disabled_at = ${s.disabledAt}::timestamptz,
      disabled_reason = ${s.disabledReason}, updated_at = ${s.updatedAt}::timestamptz
    where id = ${s.id}`);
}

export async function deleteSubscription(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`delete from webhook_subscriptions where id = ${id}`);
}

/** Puts the subscription's given-up deliveries back in the queue with a fresh schedule; answers how many. */
export async function requeueGivenUp(tx: Tx, subscriptionId: string): Promise<number> {
  const r = await rows<{ id: string }>(
    tx,
    sql`update outbox set failed_at = null, attempts = 0, leased_until = null
        where topic = 'webhook.delivery' and failed_at is not null and delivered_at is null
          and payload->>'subscriptionId' = ${subscriptionId}
        returning id`,
  );
  return r.length;
}

export interface ClaimedDelivery {
  outboxId: string;
  attempts: number;
  eventId: string;
  event: { type: string } & Record<string, unknown>;
  subscriptionId: string;
  /** Null when the subscription was deleted since the event. */
  subscription: { url: string; secret: string; enabled: boolean } | null;
}

/**
 * Locks up to `limit` webhook deliveries ready to go, oldest first, at most `perSubscription` less what `busy` says
 * is in flight for each subscription, and leases them until `leaseUntil`: no other dispatcher claims them while their
 * receiver is called, with no transaction open.
 */
export async function claimDeliveries(
  tx: Tx,
  q: { now: Date; leaseUntil: Date; limit: number; perSubscription: number; busy: Record<string, number> },
): Promise<ClaimedDelivery[]> {
  const now = q.now.toISOString();
  const found = await rows<{
    id: string;
    attempts: number;
    payload: Record<string, unknown> | string;
    sub_id: string | null;
    url: string | null;
    secret: string | null;
    enabled: boolean | null;
  }>(
    tx,
    sql`
    with ready as (
      select o.id, o.seq, row_number() over (partition by o.payload->>'subscriptionId' order by o.seq) as n,
             o.payload->>'subscriptionId' as sub
      from outbox o
      where o.topic = 'webhook.delivery' and o.delivered_at is null and o.failed_at is null
        and (o.leased_until is null or o.leased_until <= ${now}::timestamptz)
    ), picked as (
      select r.id, r.seq, r.sub from ready r
      where r.n <= ${q.perSubscription} - coalesce((${JSON.stringify(q.busy)}::jsonb ->> r.sub)::int, 0)
      order by r.seq limit ${q.limit}
    )
    select o.id, o.attempts, o.payload, s.id as sub_id, s.url, s.secret, s.enabled
    from outbox o join picked p on p.id = o.id left join webhook_subscriptions s on s.id = p.sub
    where o.delivered_at is null and o.failed_at is null
    order by p.seq
    for update of o skip locked`,
  );
  if (found.length)
    await tx.execute(sql`update outbox set leased_until = ${q.leaseUntil.toISOString()}::timestamptz
      where id in (select jsonb_array_elements_text(${JSON.stringify(found.map((f) => f.id))}::jsonb))`);
  return found.map((r) => {
    const payload = json(r.payload);
    return {
      outboxId: r.id,
      attempts: r.attempts,
      eventId: String(payload.eventId),
      event: payload.event as ClaimedDelivery['event'],
      subscriptionId: String(payload.subscriptionId),
      subscription: r.sub_id === null ? null : { url: r.url!, secret: r.secret!, enabled: r.enabled! },
    };
  });
}

export interface AttemptRow {
  seq: number;
  outboxId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'given_up' | 'dropped';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: string;
  nextAttemptAt: string | null;
}

export async function insertAttempt(tx: Tx, subscriptionId: string, a: Omit<AttemptRow, 'seq'>): Promise<void> {
  await tx.execute(sql`
    insert into webhook_attempts (subscription_id, outbox_id, event_id, event_type, attempt, outcome, status_code, error, duration_ms, at, next_attempt_at)
    values (${subscriptionId}, ${a.outboxId}, ${a.eventId}, ${a.eventType}, ${a.attempt}, ${a.outcome}, ${a.statusCode},
            ${a.error === null ? null : truncateText(a.error, 500)}, ${a.durationMs}, ${a.at}::timestamptz,
            ${a.nextAttemptAt}::timestamptz)`);
}

/**
 * Counts a failed attempt on the subscription (`failed`) or clears the count (delivered). With `disableAfter` reached,
 * disables it; answers whether this call disabled it. The row is locked and read first: deliveries of one subscription
 * fail side by side, and each must count on the count the one before it left. The lock is `no key update`: each
 * delivery's attempt row already holds a key-share lock on the subscription through its foreign key, and `for update`
 * would wait on the other delivery's key-share while it waits on ours.
 */
export async function countOutcome(
  tx: Tx,
  q: { id: string; failed: boolean; disableAfter: number; at: string },
): Promise<{ disabled: boolean; url: string } | undefined> {
  if (!q.failed)
    return (
      await rows<{ disabled: boolean; url: string }>(
        tx,
        sql`update webhook_subscriptions set consecutive_failures = 0 where id = ${q.id} and consecutive_failures <> 0
            returning false as disabled, url`,
      )
    )[0];
  const [s] = await rows<{ enabled: boolean; consecutive_failures: number; url: string }>(
    tx,
    sql`select enabled, consecutive_failures, url from webhook_subscriptions where id = ${q.id} for no key update`,
  );
  if (!s) return undefined;
  const failures = s.consecutive_failures + 1;
  const disabled = s.enabled && failures >= q.disableAfter;
  await tx.execute(sql`
    update webhook_subscriptions set consecutive_failures = ${failures}
    ${disabled ? sql`, enabled = false, disabled_at = ${q.at}::timestamptz, disabled_reason = ${`${q.disableAfter} consecutive failed attempts`}` : sql``}
    where id = ${q.id}`);
  return { disabled, url: s.url };
}

/** A subscription's delivery log, newest first, `limit` attempts before `beforeSeq`. */
export async function listAttempts(
  ex: Executor,
  q: { subscriptionId: string; limit: number; beforeSeq?: number | undefined },
): Promise<AttemptRow[]> {
  const found = await rows<{
    seq: number | string;
    outbox_id: string;
    event_id: string;
    event_type: string;
    attempt: number;
    outcome: AttemptRow['outcome'];
    status_code: number | null;
    error: string | null;
    duration_ms: number;
    at: string | Date;
    next_attempt_at: string | Date | null;
  }>(
    ex,
    sql`select seq, outbox_id, event_id, event_type, attempt, outcome, status_code, error, duration_ms, at, next_attempt_at
        from webhook_attempts where subscription_id = ${q.subscriptionId}
        ${q.beforeSeq !== undefined ? sql`and seq < ${q.beforeSeq}` : sql``}
        order by seq desc limit ${q.limit}`,
  );
  return found.map((r) => ({
    seq: Number(r.seq),
    outboxId: r.outbox_id,
    eventId: r.event_id,
    eventType: r.event_type,
    attempt: r.attempt,
    outcome: r.outcome,
    statusCode: r.status_code,
    error: r.error,
    durationMs: r.duration_ms,
    at: iso(r.at),
    nextAttemptAt: r.next_attempt_at === null ? null : iso(r.next_attempt_at),
  }));
}

/** Deliveries of the subscription still to go (queued or waiting for a retry). */
export async function countPending(ex: Executor, subscriptionId: string): Promise<number> {
  const [r] = await rows<{ n: number | string }>(
    ex,
    sql`select count(*) as n from outbox where topic = 'webhook.delivery' and delivered_at is null and failed_at is null
        and payload->>'subscriptionId' = ${subscriptionId}`,
  );
  return Number(r?.n ?? 0);
}

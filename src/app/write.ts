/**
 * The one pipeline every write goes through: idempotency check → execute in one transaction →
 * timeline event and outbox row in that same transaction → result (read back inside the transaction).
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { idempotencyKeys, outbox, timelineEvents } from '../db/schema/index.js';
import { conflict } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import type { Actor, TimelineEvent } from '../domain/timeline.js';
import type { AppContext, WriteOptions } from './context.js';

export interface WriteScope {
  tx: Tx;
  now: Date;
  actor: Actor;
  /** Records the timeline event and its outbox row. */
  record(event: TimelineEvent): Promise<void>;
}

export function hashRequest(input: unknown): string {
  return createHash('sha256').update(stableJson(input)).digest('hex');
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
}

export async function recordEvent(tx: Tx, event: TimelineEvent, actor: Actor, now: Date): Promise<void> {
  await recordEvents(tx, [{ event, actor }], now);
}

/** Records several events (each with its actor) in two statements, in order: one round trip per table, not per event. */
export async function recordEvents(tx: Tx, events: readonly { event: TimelineEvent; actor: Actor }[], now: Date): Promise<void> {
  if (!events.length) return;
  const at = now.toISOString();
  const rows = events.map(({ event, actor }) => ({ id: newId('event', now.getTime()), event, actor }));
  await tx.insert(timelineEvents).values(rows.map(({ id, event, actor }) => ({
    id,
    customerId: event.customerId,
    orderId: event.orderId ?? null,
    type: event.type,
    actorKind: actor.kind,
    actorId: actor.id ?? null,
    data: event.data as Record<string, unknown>,
    occurredAt: at,
  })));
  await tx.insert(outbox).values(rows.map(({ id, event, actor }) => ({
    id: newId('outbox', now.getTime()),
    topic: event.type,
    payload: { eventId: id, customerId: event.customerId, orderId: event.orderId ?? null, actor, data: event.data },
    createdAt: at,
  })));
}

/**
 * Runs `execute` as one idempotent write. `operation` names the use case (the idempotency scope);
 * `input` is what the caller sent, hashed to tell a retry from a different request under the same key.
 */
export async function write<R>(
  ctx: AppContext,
  operation: string,
  input: unknown,
  opts: WriteOptions,
  execute: (scope: WriteScope) => Promise<R>,
): Promise<R> {
  const now = ctx.clock.now();
  return ctx.database.transaction(async (tx) => {
    const scope: WriteScope = { tx, now, actor: opts.actor, record: (e) => recordEvent(tx, e, opts.actor, now) };
    if (!opts.idempotencyKey) return execute(scope);
    const key = opts.idempotencyKey;
    const requestHash = hashRequest(input);
    // Claim the key first: a concurrent request with the same key waits here until we commit.
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ scope: operation, key, requestHash, response: sql`'null'::jsonb`, createdAt: now.toISOString() })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [prior] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, operation), eq(idempotencyKeys.key, key)));
      if (!prior || prior.requestHash !== requestHash) {
        throw conflict(`Idempotency key "${key}" was already used for a different ${operation} request. Use a new key for a new request.`, {
          reason: 'idempotency_key_reused',
        });
      }
      return prior.response as R;
    }
    const result = await execute(scope);
    await tx
      .update(idempotencyKeys)
      .set({ response: sql`${JSON.stringify(result ?? null)}::jsonb` })
      .where(and(eq(idempotencyKeys.scope, operation), eq(idempotencyKeys.key, key)));
    return result;
  });
}

/** Options of an order action (issue: cancel, refund, return, …): a write that can be previewed. */
export interface ActionOptions extends WriteOptions {
  /** Compute and return the preview only; change nothing. */
  dryRun?: boolean | undefined;
}

export interface ActionResult<P, R> {
  dryRun: boolean;
  /** What would happen / what happened: items, amounts, disclosures — e.g. seed 003's cancellation summary. */
  preview: P;
  /** The outcome read back after the change; absent on a dry run. */
  result?: R;
}

/**
 * validate → preview → execute, for every action. `plan` loads and locks what the action depends on,
 * checks every rule (throwing a not_eligible DomainError naming the rule) and returns the preview;
 * `apply` performs exactly that plan, records its timeline event, and reads the result back.
 * A dry run runs `plan` in a transaction that is rolled back, so a preview can never change anything.
 */
export async function runAction<P, R>(
  ctx: AppContext,
  operation: string,
  input: unknown,
  opts: ActionOptions,
  steps: { plan(scope: WriteScope): Promise<P>; apply(scope: WriteScope, plan: P): Promise<R> },
): Promise<ActionResult<P, R>> {
  if (opts.dryRun) {
    const now = ctx.clock.now();
    const rollback = new Error('dry run');
    let preview: P | undefined;
    try {
      await ctx.database.transaction(async (tx) => {
        preview = await steps.plan({ tx, now, actor: opts.actor, record: async () => {} });
        throw rollback;
      });
    } catch (e) {
      if (e !== rollback) throw e;
    }
    return { dryRun: true, preview: preview as P };
  }
  return write(ctx, operation, input, opts, async (scope) => {
    const preview = await steps.plan(scope);
    const result = await steps.apply(scope, preview);
    return { dryRun: false, preview, result };
  });
}

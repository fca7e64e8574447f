/**
 * The one pipeline every write goes through: idempotency check → execute in one transaction →
 * timeline event and outbox row in that same transaction → result (read back inside the transaction).
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../db/database.js';
import { beforeCommit } from '../db/pipelining.js';
import {
  claimIdempotencyKey,
  findIdempotencyKey,
  writeJournal,
  type IdempotencyClaim,
  type JournalEvent,
} from '../db/repo/journal.js';
import { conflict, isDomainError, type DomainError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import type { Actor, TimelineEvent } from '../domain/timeline.js';
import { webhookEventOf } from '../domain/webhook-events.js';
import type { AppContext, WriteOptions } from './context.js';

export interface WriteScope {
  tx: Tx;
  now: Date;
  actor: Actor;
  /** Records the timeline event and its outbox row. */
  record(event: TimelineEvent): Promise<void>;
  /**
   * The write's idempotency key while it is still to be claimed: set for an order action, which claims it in the
   * statement locking its order (`runOrderAction`, then `settleClaim`).
   */
  pendingClaim?: IdempotencyClaim | undefined;
}

/** Thrown (and caught by `write`) when the key turns out to be used, always before anything was written: the answer is the first one's. */
const KEY_USED = Symbol('idempotency key already used');

/** Records that `scope.pendingClaim` was claimed by a statement that carried it; a used key ends the write here. */
export function settleClaim(scope: WriteScope, claimed: boolean): void {
  scope.pendingClaim = undefined;
  if (!claimed) throw KEY_USED;
}

/** Claims the key now, unless an earlier statement of the write already did. */
async function claimPending(scope: WriteScope): Promise<void> {
  if (scope.pendingClaim) settleClaim(scope, await claimIdempotencyKey(scope.tx, scope.pendingClaim));
}

/** The refusal of a write whose `precondition` failed: its writer may no longer act, and nothing was written. */
export function notInCharge(message: string, why: string): DomainError {
  return conflict(message, { reason: 'not_in_charge', why });
}

export function isNotInCharge(e: unknown): e is DomainError {
  return isDomainError(e) && e.details.reason === 'not_in_charge';
}

export function hashRequest(input: unknown): string {
  return createHash('sha256').update(stableJson(input)).digest('hex');
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
}

export async function recordEvent(tx: Tx, event: TimelineEvent, actor: Actor, now: Date): Promise<void> {
  await recordEvents(tx, [{ event, actor }], now);
}

/** Records several events (each with its actor) in order, with their outbox rows, in one statement. */
export async function recordEvents(
  tx: Tx,
  events: readonly { event: TimelineEvent; actor: Actor }[],
  now: Date,
): Promise<void> {
  await writeJournal(tx, {
    events: events.map(({ event, actor }) => journalEvent(event, actor, now)),
    at: now.toISOString(),
  });
}

function journalEvent(event: TimelineEvent, actor: Actor, now: Date): JournalEvent {
  const id = newId('event', now.getTime());
  const orderId = event.orderId ?? null;
  return {
    id,
    customerId: event.customerId,
    orderId,
    type: event.type,
    actorKind: actor.kind,
    actorId: actor.id ?? null,
    data: event.data,
    outboxId: newId('outbox', now.getTime()),
    payload: { eventId: id, customerId: event.customerId, orderId, actor, data: event.data },
    webhook: webhookEventOf(id, event, actor, now),
  };
}

/**
 * Runs `execute` as one idempotent write. `operation` names the use case (the idempotency scope);
 * `input` is what the caller sent, hashed to tell a retry from a different request under the same key.
 * The events `execute` records are written at its end, in one statement with their outbox rows and the stored
 * response: still inside the transaction, so they commit or roll back with the change.
 *
 * The writer's `precondition`, if any, is checked first (see `WriteOptions`). The key is claimed next, before `execute` — or, with `claim: 'carried'` (order actions), by the statement that
 * locks the order, before any rule is checked (see `WriteScope.pendingClaim`). A used key ends the write before it
 * changed anything: the answer is the first request's stored response (same input) or a conflict.
 */
export async function write<R>(
  ctx: AppContext,
  operation: string,
  input: unknown,
  opts: WriteOptions,
  execute: (scope: WriteScope) => Promise<R>,
  claim: 'first' | 'carried' = 'first',
): Promise<R> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  const key = opts.idempotencyKey;
  const requestHash = key ? hashRequest(input) : '';
  return ctx.database.transaction(async (tx) => {
    const events: JournalEvent[] = [];
    const scope: WriteScope = {
      tx,
      now,
      actor: opts.actor,
      record: async (e) => void events.push(journalEvent(e, opts.actor, now)),
      pendingClaim: key ? { scope: operation, key, requestHash, at } : undefined,
    };
    if (opts.precondition) await opts.precondition(tx);
    let result: R;
    try {
      if (claim === 'first') await claimPending(scope);
      result = await execute(scope);
    } catch (e) {
      if (e !== KEY_USED || !key) throw e;
      // The first request with this key has committed (its claim held ours until then): answer as it did.
      const prior = await findIdempotencyKey(tx, operation, key);
      if (!prior || prior.requestHash !== requestHash) {
        throw conflict(
          `Idempotency key "${key}" was already used for a different ${operation} request. Use a new key for a new request.`,
          {
            reason: 'idempotency_key_reused',
          },
        );
      }
      return prior.response as R;
    }
    // The journal's answer is not needed: it travels with the commit.
    if (events.length || key)
      await beforeCommit(tx, () =>
        writeJournal(tx, { events, at, response: key ? { scope: operation, key, body: result } : undefined }),
      );
    return result;
  });
}

/** Options of an action (cancel, refund, return, …): a write that can be previewed. */
export interface ActionOptions extends WriteOptions {
  /** Compute and return the preview only; change nothing. */
  dryRun?: boolean | undefined;
}

export interface ActionResult<P, R> {
  dryRun: boolean;
  /** What would happen / what happened: items, amounts, disclosures — e.g. the Shopify order rules' cancellation summary. */
  preview: P;
  /** The outcome read back after the change; absent on a dry run. */
  result?: R;
}

/** What an action's `plan` gives: the preview a person confirms, and whatever else `apply` needs to do exactly that. */
export interface Plan<P> {
  preview: P;
}

export interface ActionSteps<Pl extends Plan<unknown>, R> {
  /** Loads what the action depends on, checks every rule (a not_eligible DomainError names the rule that refused). */
  plan(scope: WriteScope): Promise<Pl>;
  /** Performs exactly the plan, records its timeline event, and reads the result back. */
  apply(scope: WriteScope, plan: Pl): Promise<R>;
}

/**
 * validate → preview → execute, for every action: `plan`, then `apply` with the plan, in one `write()`.
 * A dry run runs only `plan`, in a transaction that is rolled back, so a preview can never change anything.
 *
 * `claim: 'carried'` is for order actions (`runOrderAction`), whose plan claims the idempotency key in the statement
 * that locks the order; otherwise the key is claimed before the plan runs, so a retry is answered with the first
 * result rather than judged again by rules the first request changed the facts of.
 */
export async function runAction<Pl extends Plan<unknown>, R>(
  ctx: AppContext,
  operation: string,
  input: unknown,
  opts: ActionOptions,
  steps: ActionSteps<Pl, R>,
  claim: 'first' | 'carried' = 'first',
): Promise<ActionResult<Pl['preview'], R>> {
  if (opts.dryRun) {
    const now = ctx.clock.now();
    const rollback = new Error('dry run');
    let planned: Pl | undefined;
    try {
      await ctx.database.transaction(async (tx) => {
        planned = await steps.plan({ tx, now, actor: opts.actor, record: async () => {} });
        throw rollback;
      });
    } catch (e) {
      if (e !== rollback) throw e;
    }
    if (!planned) throw new Error(`${operation}: the dry run's plan gave nothing`);
    return { dryRun: true, preview: planned.preview };
  }
  return write(
    ctx,
    operation,
    input,
    opts,
    async (scope) => {
      const planned = await steps.plan(scope);
      if (scope.pendingClaim)
        throw new Error(
          `${operation}: its plan must lock the order with the statement that claims the idempotency key`,
        );
      const result = await steps.apply(scope, planned);
      return { dryRun: false, preview: planned.preview, result };
    },
    claim,
  );
}

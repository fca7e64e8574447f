/**
 * Every order action (cancel, refund, returns, exchanges, order changes, product swaps, access codes) is a
 * `runOrderAction`: its plan starts from the order locked and loaded — the order row, its facts, the statuses derived
 * from them, what earlier refunds, returns and exchanges did to each line, the return rules and the customer's payment
 * methods — and its apply reads the order back as it is once the action wrote.
 */
import type { Executor } from '../../db/database.js';
import { together } from '../../db/pipelining.js';
import type { PaymentMethodRecord } from '../../db/repo/customers.js';
import {
  findOrderById,
  lockOrder,
  lockOrderClaiming,
  type LineRecord,
  type OrderRecord,
  type TransactionRecord,
} from '../../db/repo/orders.js';
import type { AppContext } from '../context.js';
import { runAction, settleClaim, type ActionOptions, type ActionResult, type Plan, type WriteScope } from '../write.js';
import { findOrderForAction, type OrderActionState, type OrderForAction } from '../../db/repo/actions.js';
import type { ReturnPolicyRule } from '../../domain/return-window.js';
import { deriveStatus, type DerivedStatus, type OrderFacts } from '../../domain/order-status.js';
import { linePaidAmounts, type RefundLineState } from '../../domain/refund-rules.js';
import type { ReturnLineState } from '../../domain/return-rules.js';
import { assertNotShipped } from '../../domain/order-changes.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { formatOrderNumber } from '../../kernel/ids.js';
import { resolveOrderId } from './resolve-order.js';
import { statusLabels, toFacts } from './order-view.js';

export interface ActionOrder {
  record: OrderRecord;
  /** "#1001" */
  name: string;
  facts: OrderFacts;
  derived: DerivedStatus;
  state: OrderActionState;
  /** The return-window rules (category > channel > store; a product's own window wins), read with the order. */
  returnRules: ReturnPolicyRule[];
  /** The customer's payment methods: where a refund to the original payment goes, with labels and balances. */
  paymentMethods: PaymentMethodRecord[];
  /** Minor units the customer paid per whole line (order discount and tax shared in). */
  linePaid: Map<string, number>;
}

export interface OrderActionSteps<Pl extends Plan<unknown>, R> {
  /**
   * The order acted on: whatever names it (`resolveOrderId`: id, number or the channel's reference), or a lookup of
   * it from what the input names (a return's order, an exchange's).
   */
  order: string | ((ex: Executor) => Promise<string>);
  /** Checks every rule against the order as it is under the lock, and gives the plan with its preview. */
  plan(scope: WriteScope, o: ActionOrder): Promise<Pl>;
  /** Performs exactly the plan, records its timeline event, and reads the result back. */
  apply(scope: WriteScope, plan: Pl): Promise<R>;
}

/**
 * An order action: `runAction` whose plan starts from the order locked and loaded. The order row stays locked to the
 * end of the transaction, so actions on one order take turns and each sees what the one before it committed.
 */
export function runOrderAction<Pl extends Plan<unknown>, R>(
  ctx: AppContext,
  operation: string,
  input: unknown,
  opts: ActionOptions,
  steps: OrderActionSteps<Pl, R>,
): Promise<ActionResult<Pl['preview'], R>> {
  const { order } = steps;
  return runAction(
    ctx,
    operation,
    input,
    opts,
    {
      plan: async (scope) =>
        steps.plan(scope, await lockOrderForAction(scope, typeof order === 'string' ? order : await order(scope.tx))),
      apply: steps.apply,
    },
    'carried',
  );
}

/**
 * Locks the order for the rest of the transaction — claiming the write's idempotency key in the same statement, when
 * it is still to be claimed — then loads everything its rules need in one statement, sent right behind the lock:
 * one round trip on a server.
 */
async function lockOrderForAction(scope: WriteScope, ref: string): Promise<ActionOrder> {
  const { tx, now, pendingClaim } = scope;
  const id = await resolveOrderId(tx, ref);
  // The read is sent right behind the lock: it starts, with its own snapshot, once the lock is held.
  const [locked, found] = await together(
    tx,
    () =>
      pendingClaim
        ? lockOrderClaiming(tx, id, pendingClaim)
        : lockOrder(tx, id).then((lockedId) => ({ id: lockedId, claimed: true })),
    () => findOrderForAction(tx, id),
  );
  if (pendingClaim) settleClaim(scope, locked.claimed);
  if (!locked.id || !found) throw notFound('order', ref);
  return actionOrder(found, now);
}

/** The same facts for a read (no lock): eligibility checks and views. */
export async function readOrderForAction(ex: Executor, ref: string, now: Date): Promise<ActionOrder> {
  const found = await findOrderForAction(ex, await resolveOrderId(ex, ref));
  if (!found) throw notFound('order', ref);
  return actionOrder(found, now);
}

/** The facts read for an order's actions, with what is derived from them. */
export function actionOrder(found: OrderForAction, now: Date): ActionOrder {
  const { record, state } = found;
  const facts = toFacts(record);
  const paid = linePaidAmounts(record);
  return {
    record,
    name: formatOrderNumber(record.number),
    facts,
    derived: deriveStatus(facts, now),
    state,
    returnRules: found.returnPolicies,
    paymentMethods: found.paymentMethods,
    linePaid: new Map(record.lines.map((l, i) => [l.id, paid[i] ?? 0])),
  };
}

/** The order as the action's writes left it, read again (the same transaction, still under the lock). */
export async function readBack(scope: WriteScope, o: ActionOrder): Promise<OrderRecord> {
  const after = await findOrderById(scope.tx, o.record.id);
  if (!after) throw new Error(`order ${o.record.id} vanished under its lock`);
  return after;
}

/** The line an item id names, or a 400 naming the field. */
export function lineOf(o: ActionOrder, itemId: string, path: string): LineRecord {
  const line = o.record.lines.find((l) => l.id === itemId);
  if (!line)
    throw invalid(
      path,
      `${itemId} is not an item of order ${o.name}; its items are ${o.record.lines.map((l) => `${l.id} (${l.sku})`).join(', ')}`,
    );
  return line;
}

/** An order that has not shipped (else order_canceled / order_shipped): what pending-order changes require. */
export function assertPending(o: ActionOrder): void {
  assertNotShipped({ ...o.facts, number: o.record.number, packages: o.record.packages });
}

/** Minor units the customer paid for the whole line (order discount and tax shared in). */
export function paidFor(o: ActionOrder, line: LineRecord): number {
  return o.linePaid.get(line.id) ?? 0;
}

export function deliveredOf(o: ActionOrder, lineId: string): number {
  return o.derived.lines.find((p) => p.lineId === lineId)?.delivered ?? 0;
}

export function refundLineState(o: ActionOrder, line: LineRecord): RefundLineState {
  const s = o.state.lines.get(line.id);
  return {
    lineId: line.id,
    sku: line.sku,
    quantity: line.quantity,
    delivered: deliveredOf(o, line.id),
    returnable: line.returnable,
    refunded: s?.refunded ?? 0,
    refundedWithoutReturn: s?.refundedWithoutReturn ?? 0,
    returnedOrRequested: s?.returnedOrRequested ?? 0,
  };
}

export function returnLineState(o: ActionOrder, line: LineRecord): ReturnLineState {
  const s = o.state.lines.get(line.id);
  return {
    lineId: line.id,
    sku: line.sku,
    title: line.title,
    quantity: line.quantity,
    delivered: deliveredOf(o, line.id),
    returnable: line.returnable,
    returnedOrRequested: s?.returnedOrRequested ?? 0,
    refundedWithoutReturn: s?.refundedWithoutReturn ?? 0,
    exchanged: s?.exchanged ?? 0,
  };
}

/** Every status an order would have with these facts: what a preview shows as "resulting statuses". */
export function statusOf(facts: OrderFacts, now: Date) {
  const d = deriveStatus(facts, now);
  return {
    ...statusLabels(d),
    captured: d.totals.captured,
    refunded: d.totals.refunded,
    refundable: d.totals.refundable,
  };
}

/**
 * The order once an action's writes are in: the order read under the lock plus the rows the action wrote, as the
 * database gave them back (RETURNING). Nothing else can change the order while the lock is held, so this is the
 * read-back, without reading the whole order a second time.
 */
export function orderAfter(
  o: ActionOrder,
  w: { transactions?: readonly TransactionRecord[]; canceledAt?: string; cancelReason?: string },
): OrderRecord {
  return {
    ...o.record,
    ...(w.canceledAt !== undefined
      ? { canceledAt: w.canceledAt, cancelReason: w.cancelReason ?? null, updatedAt: w.canceledAt }
      : {}),
    transactions: [...o.record.transactions, ...(w.transactions ?? [])],
  };
}

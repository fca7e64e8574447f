/**
 * What can be done to an order now, in one read: every order action allowed or refused, asked of the same rule
 * functions the actions run (src/domain/*-rules.ts) on the same facts (`readOrderForAction`), so the inbox needs no
 * dry run to grey a button out. A refusal carries its rule (`reason`, `policy`, as the action would give them) and
 * `why`, words for an agent, with the action to take instead when there is one. With the order's returns and
 * exchanges and their next steps.
 */
import { findReturnsOfOrder, type ReturnRecord } from '../../db/repo/actions.js';
import { findExchangesOfOrder, type ExchangeRecord } from '../../db/repo/exchanges.js';
import { checkCancelable } from '../../domain/cancel-rules.js';
import { assertExchangeAllowed, EXCHANGE_TRANSITIONS, exchangeableQuantity } from '../../domain/exchanges.js';
import { ACCESS_POLICY } from '../../domain/access-codes.js';
import { assertNotCanceled, POLICY as CHANGE_POLICY } from '../../domain/order-changes.js';
import { requireCustomer } from '../../domain/order-customer.js';
import { formatDate } from '../../domain/order-status.js';
import { checkCaptured, checkItemRefund, REFUND_POLICY, refundableWithoutReturn } from '../../domain/refund-rules.js';
import { datedReturnWindow, resolveReturnWindow } from '../../domain/return-window.js';
import { assertChangeableInSopdesk } from '../../domain/shopify.js';
import { isDomainError, notEligible } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { itemEligibility } from '../returns/check-return-eligibility.js';
import { toReturnView } from '../returns/return-view.js';
import type { ReturnView } from '../returns/schemas.js';
import { readOrderForAction, refundLineState, returnLineState, type ActionOrder } from './action-order.js';
import { ORDER_ACTIONS, type OrderAction } from './order-actions.schemas.js';
import { orderName } from './order-view.js';

export interface ActionAvailability {
  action: OrderAction;
  allowed: boolean;
  reason: string | null;
  why: string | null;
  policy: string | null;
  next: OrderAction | null;
}

export interface ExchangeView {
  id: string;
  status: ExchangeRecord['status'];
  statusLabel: string;
  reason: string | null;
  currency: string;
  priceDifference: number;
  createdAt: string;
  items: { itemId: string; title: string; quantity: number; fromSku: string; toSku: string }[];
  nextSteps: ('completed' | 'canceled')[];
}

export interface OrderActions {
  orderId: string;
  orderName: string;
  actions: ActionAvailability[];
  returns: ReturnView[];
  exchanges: ExchangeView[];
}

interface Refusal {
  reason: string;
  policy: string;
  /** A fact the agent's words need (a window's closing date). */
  detail?: string;
}

/** Runs rule checks: null when none refuses, else the first rule's refusal. Any other fault is not a refusal. */
function refusalOf(check: () => void): Refusal | null {
  try {
    check();
    return null;
  } catch (e) {
    if (isDomainError(e) && e.code === 'not_eligible')
      return { reason: String(e.details.reason), policy: String(e.details.policy ?? '') };
    throw e;
  }
}

/** The first refusal when every candidate (an item) is refused; null when one is allowed or there is none. */
function firstWhenAll(refusals: (Refusal | null)[]): Refusal | null {
  if (refusals.length === 0 || refusals.some((r) => r === null)) return null;
  return refusals[0] ?? null;
}

const SHIPPED_POLICY_REASON = 'line_shipped';

function cancelRefusal(o: ActionOrder): Refusal | null {
  return refusalOf(() =>
    checkCancelable({ name: o.name, orderStatus: o.derived.orderStatus, anyDelivered: o.derived.anyDelivered }),
  );
}

/** A refund outside a return: paid, something left to refund, and an item (or shipping) refundable without a return. */
function refundRefusal(o: ActionOrder): Refusal | null {
  return refusalOf(() => {
    checkCaptured(o.derived.totals, o.name);
    const shippingLeft = o.record.shippingFee - o.state.shippingRefunded;
    const states = o.record.lines.map((l) => refundLineState(o, l));
    if (shippingLeft <= 0 && !states.some((s) => refundableWithoutReturn(s) > 0)) {
      // The rule the action gives for the first item: already refunded, or to be returned first.
      for (const [i, s] of states.entries()) checkItemRefund(s, 1, `items.${i}.quantity`);
    }
    if (o.derived.totals.refundable <= 0)
      throw notEligible(
        'exceeds_refundable_amount',
        'Nothing is left to refund.',
        REFUND_POLICY.exceeds_refundable_amount,
      );
  });
}

function returnRefusal(o: ActionOrder, now: Date): Refusal | null {
  return firstWhenAll(
    o.record.lines.map((l) => {
      const e = itemEligibility(o, l, o.returnRules, now);
      if (e.eligible) return null;
      return {
        reason: e.reason ?? 'not_eligible',
        policy: e.policy ?? '',
        ...(e.reason === 'return_window_expired' ? { detail: formatDate(e.window.deadline) } : {}),
      };
    }),
  );
}

function exchangeRefusal(o: ActionOrder, now: Date, shopifyPush: boolean): Refusal | null {
  const order = o.record;
  const whole = refusalOf(() => {
    assertNotCanceled(order);
    assertChangeableInSopdesk(order, 'exchange', shopifyPush);
    requireCustomer(order, 'an exchange');
  });
  if (whole) return whole;
  return firstWhenAll(
    order.lines.map((line) => {
      const window = datedReturnWindow(
        resolveReturnWindow(
          { productWindowDays: line.returnWindowDays, category: line.category, channel: order.channel },
          o.returnRules,
        ),
        order.placedAt,
        now,
      );
      const r = refusalOf(() => {
        assertExchangeAllowed(line, { name: o.name, window });
        const s = returnLineState(o, line);
        if (s.delivered === 0)
          throw notEligible('not_delivered', `${line.sku} has not been delivered yet.`, CHANGE_POLICY.notDelivered);
        if (exchangeableQuantity(s) === 0)
          throw notEligible(
            'exceeds_exchangeable_quantity',
            `No unit of ${line.sku} is left to exchange.`,
            CHANGE_POLICY.exceedsExchangeable,
          );
      });
      return r && r.reason === 'return_window_expired' ? { ...r, detail: formatDate(window.deadline) } : r;
    }),
  );
}

/** A swap's order-wide rules, and for some item: not a shipped physical item. The new product is the form's. */
function swapRefusal(o: ActionOrder, shopifyPush: boolean): Refusal | null {
  const order = o.record;
  const whole = refusalOf(() => {
    assertNotCanceled(order);
    assertChangeableInSopdesk(order, 'product_swap', shopifyPush);
    requireCustomer(order, 'a product swap');
  });
  if (whole) return whole;
  return firstWhenAll(
    order.lines.map((line) =>
      line.requiresShipping &&
      order.packages.some((p) => p.status !== 'failed' && p.items.some((i) => i.lineId === line.id))
        ? { reason: SHIPPED_POLICY_REASON, policy: ACCESS_POLICY.lineShipped }
        : null,
    ),
  );
}

/** Why, in an agent's words, and what to do instead. */
function agentWords(action: OrderAction, r: Refusal): { why: string; instead?: string; next: OrderAction | null } {
  switch (r.reason) {
    case 'order_canceled':
      return { why: 'The order is canceled.', next: null };
    case 'order_delivered':
      return {
        why: 'Items were delivered, so the order can no longer be canceled.',
        instead: 'Start a return instead.',
        next: 'return',
      };
    case 'order_unpaid':
      return {
        why: 'Nothing has been paid, so there is nothing to refund.',
        instead: 'Cancel the order instead.',
        next: 'cancel',
      };
    case 'return_required':
      return {
        why: 'Delivered items are refunded through a return: start a return, and refund it once it is received.',
        next: 'return',
      };
    case 'already_refunded':
    case 'exceeds_refundable_amount':
      return { why: 'Everything paid on this order has been refunded.', next: null };
    case 'not_returnable':
      return action === 'return'
        ? {
            why: 'These items cannot be returned (no-return policy). They can be refunded without a return.',
            next: 'refund',
          }
        : { why: 'These items cannot be exchanged (no-return policy).', next: 'refund' };
    case 'return_window_expired':
      return { why: `The return window closed on ${r.detail ?? 'an earlier date'}.`, next: null };
    case 'not_delivered':
      return {
        why: `Nothing has been delivered yet; items can be ${action === 'exchange' ? 'exchanged' : 'returned'} once they arrive.`,
        next: null,
      };
    case 'exceeds_returnable_quantity':
    case 'exceeds_exchangeable_quantity':
      return { why: 'Every delivered item is already in a return or an exchange.', next: null };
    case 'managed_in_shopify':
      return { why: 'This Shopify order is changed in Shopify admin, not here.', next: null };
    case SHIPPED_POLICY_REASON:
      return { why: 'Every item has shipped; exchange or return it instead.', next: 'exchange' };
    case 'no_customer':
      return { why: 'The order has no customer.', next: null };
    default:
      return { why: 'The store rules do not allow this on this order now.', next: null };
  }
}

function availabilityOf(o: ActionOrder, now: Date, shopifyPush: boolean): ActionAvailability[] {
  const refusals: Record<OrderAction, Refusal | null> = {
    cancel: cancelRefusal(o),
    refund: refundRefusal(o),
    return: returnRefusal(o, now),
    exchange: exchangeRefusal(o, now, shopifyPush),
    swap: swapRefusal(o, shopifyPush),
  };
  return ORDER_ACTIONS.map((action) => {
    const r = refusals[action];
    if (!r) return { action, allowed: true, reason: null, why: null, policy: null, next: null };
    const words = agentWords(action, r);
    // Point to another action only when it is allowed itself.
    const next = words.next && !refusals[words.next] ? words.next : null;
    const why = next && words.instead ? `${words.why} ${words.instead}` : words.why;
    return {
      action,
      allowed: false,
      reason: r.reason,
      why,
      policy: r.policy,
      next: next && !refusals[next] ? next : null,
    };
  });
}

const EXCHANGE_STATUS_LABEL: Record<ExchangeRecord['status'], string> = {
  requested: 'Requested, replacement on its way',
  completed: 'Completed',
  canceled: 'Canceled',
};

function toExchangeView(x: ExchangeRecord, o: ActionOrder): ExchangeView {
  return {
    id: x.id,
    status: x.status,
    statusLabel: EXCHANGE_STATUS_LABEL[x.status],
    reason: x.reason,
    currency: x.currency,
    priceDifference: x.priceDifference,
    createdAt: x.createdAt,
    items: x.items.map((i) => ({
      itemId: i.itemId,
      title: o.record.lines.find((l) => l.id === i.itemId)?.title ?? i.fromSku,
      quantity: i.quantity,
      fromSku: i.fromSku,
      toSku: i.toSku,
    })),
    nextSteps: [...EXCHANGE_TRANSITIONS[x.status]].filter((s) => s !== 'requested') as ExchangeView['nextSteps'],
  };
}

/** What can be done to an order read for its actions, given its returns and exchanges. */
export function orderActionsOf(
  ctx: AppContext,
  o: ActionOrder,
  returns: readonly ReturnRecord[],
  exchanges: readonly ExchangeRecord[],
  now: Date,
): OrderActions {
  return {
    orderId: o.record.id,
    orderName: orderName(o.record),
    actions: availabilityOf(o, now, ctx.shopify !== undefined),
    returns: returns.map((r) => toReturnView(r, o)),
    exchanges: exchanges.map((x) => toExchangeView(x, o)),
  };
}

export async function getOrderActions(ctx: AppContext, input: { orderId: string }): Promise<OrderActions> {
  const now = ctx.clock.now();
  const { db } = ctx.database;
  const o = await readOrderForAction(db, input.orderId, now);
  const [returns, exchanges] = await Promise.all([
    findReturnsOfOrder(db, o.record.id),
    findExchangesOfOrder(db, o.record.id),
  ]);
  return orderActionsOf(ctx, o, returns, exchanges, now);
}

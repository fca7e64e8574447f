/**
 * refund_order (the Handling Returns procedure and the Shopify order rules): refund items and/or shipping of a prepaid order, or a received return.
 * Never more than captured less refunded; delivered returnable items only through their received return;
 * no-return and undelivered items at once; no unit twice; shipping never on a return. Refunded units of a digital
 * access product give back their access codes.
 */
import type { Tx } from '../../db/database.js';
import { findReturn, moveReturnStatus } from '../../db/repo/actions.js';
import { activeCodesOfLine, revokeCodes } from '../../db/repo/access-codes.js';
import type { LineRecord } from '../../db/repo/orders.js';
import {
  checkCaptured,
  checkItemRefund,
  checkRefundAmount,
  checkReturnUnitsRefund,
  checkShippingRefund,
  nextUnitPosition,
  REFUND_POLICY,
  unitsValue,
} from '../../domain/refund-rules.js';
import { assertTransition } from '../../domain/return-status.js';
import { invalid, notEligible, notFound } from '../../kernel/errors.js';
import { allocate, formatMoney, sumMinor } from '../../kernel/money.js';
import type { AppContext } from '../context.js';
import {
  lineOf,
  orderAfter,
  paidFor,
  refundLineState,
  runOrderAction,
  statusOf,
  type ActionOrder,
} from '../orders/action-order.js';
import { toFacts } from '../orders/order-view.js';
import type { ActionOptions, ActionResult, WriteScope } from '../write.js';
import { planMoney, plannedTransactions, writeRefund, type MoneyPlan } from './refund-money.js';
import type { RefundOrderInput, RefundPreview, RefundResult } from './schemas.js';
import { queueShopifyPush } from '../outbox/push-to-shopify.js';
import { queueKoganPush } from '../outbox/push-to-kogan.js';
import { checkKoganRefund, KOGAN_CHANNEL } from '../../domain/kogan.js';
import { isMarketplaceChannel, MARKETPLACES, marketplaceRefundSentence } from '../../domain/marketplace.js';

interface Plan {
  preview: RefundPreview;
  order: ActionOrder;
  money: MoneyPlan;
  returnRef: { id: string; trackingId: string } | null;
  /** Access codes the refunded units held (digital access lines): revoked with the refund. */
  revoke: { id: string; code: string }[];
}

export async function refundOrder(
  ctx: AppContext,
  input: RefundOrderInput,
  opts: ActionOptions,
): Promise<ActionResult<RefundPreview, RefundResult>> {
  return runOrderAction(ctx, 'refund_order', input, opts, {
    order: input.orderId,
    plan: (scope, o) => planRefund(scope, o, input, ctx.kogan !== undefined),
    apply: (scope, plan) => applyRefund(scope, plan, input, ctx),
  });
}

type Units = { line: LineRecord; quantity: number; value: number; path: string };

async function planRefund(
  { tx, now }: WriteScope,
  o: ActionOrder,
  input: RefundOrderInput,
  koganConnected: boolean,
): Promise<Plan> {
  checkCaptured(o.derived.totals, o.name);
  let units: Units[];
  let shippingAmount = input.shippingAmount ?? 0;
  let returnRef: Plan['returnRef'] = null;
  if (input.returnId !== undefined) {
    if (input.items !== undefined)
      throw invalid('items', "leave items out when refunding a return: the return's items are refunded");
    const ret = await findReturn(tx, input.returnId);
    if (!ret || ret.orderId !== o.record.id) throw notFound('return', `${input.returnId} on order ${o.name}`);
    if (shippingAmount > 0) {
      throw notEligible(
        'shipping_not_refundable',
        'Shipping fees are not refunded on a return; only the item cost is. Leave shippingAmount out.',
        REFUND_POLICY.shipping_not_refundable,
      );
    }
    const { status } = ret;
    if (status === 'refunded')
      throw notEligible(
        'already_refunded',
        `Return ${ret.trackingId} is already refunded.`,
        REFUND_POLICY.already_refunded,
        { refundId: ret.refund?.id ?? null },
      );
    if (status === 'requested' || status === 'approved' || status === 'picked_up') {
      throw notEligible(
        'return_not_received',
        `Return ${ret.trackingId} has not been received at the centre yet (it is ${status.replace('_', ' ')}); refund it once it is received.`,
        REFUND_POLICY.return_not_received,
        { status },
      );
    }
    assertTransition(status, 'refunded', ret.trackingId);
    returnRef = { id: ret.id, trackingId: ret.trackingId };
    units = ret.items.map((it) => {
      const line = lineOf(o, it.lineId, 'returnId');
      const st = refundLineState(o, line);
      checkReturnUnitsRefund(st, it.quantity);
      // The refund of a return pays what the return promised when it was requested.
      const value = it.itemCost ?? unitsValue(paidFor(o, line), line.quantity, st.refunded, it.quantity);
      return { line, quantity: it.quantity, value, path: 'returnId' };
    });
  } else {
    const items = input.items ?? [];
    if (items.length === 0 && shippingAmount === 0)
      throw invalid('items', 'name the items to refund (or a shippingAmount, or a returnId)');
    const seen = new Set<string>();
    units = items.map((it, i) => {
      if (seen.has(it.itemId))
        throw invalid(`items.${i}.itemId`, 'is listed twice; give each item once with its total quantity');
      seen.add(it.itemId);
      const line = lineOf(o, it.itemId, `items.${i}.itemId`);
      const st = refundLineState(o, line);
      checkItemRefund(st, it.quantity, `items.${i}.quantity`);
      return {
        line,
        quantity: it.quantity,
        value: unitsValue(paidFor(o, line), line.quantity, nextUnitPosition(st), it.quantity),
        path: `items.${i}.quantity`,
      };
    });
    checkShippingRefund(shippingAmount, o.record.shippingFee, o.state.shippingRefunded, o.record.currency);
  }
  if (o.record.channel === KOGAN_CHANNEL) shippingAmount = koganShipping(o, units, input, now);
  const full = sumMinor(units.map((u) => u.value)) + shippingAmount;
  const amount = input.amount ?? full;
  if (amount > full) {
    throw notEligible(
      'exceeds_items_value',
      `${formatMoney(amount, o.record.currency)} is more than the ${formatMoney(full, o.record.currency)} these items${shippingAmount ? ' and shipping' : ''} are worth.`,
      REFUND_POLICY.exceeds_items_value,
      { amount, itemsValue: full },
    );
  }
  if (amount === 0) throw invalid('amount', 'the refund would be 0; name items or an amount above 0');
  checkRefundAmount(amount, o.derived.totals, o.record.currency);
  // When the agent refunds less than the full value, items and shipping share the cut in proportion.
  const itemShares = allocate(amount, [...units.map((u) => u.value), shippingAmount]);
  shippingAmount = itemShares.pop() ?? 0;
  const money = await planMoney(tx, o, amount, input.destination ?? 'original_payment', input.paymentMethodId, now);
  const revoke = await codesOfRefundedUnits(tx, o, units);
  const after = statusOf({ ...o.facts, transactions: [...o.facts.transactions, ...plannedTransactions(money)] }, now);
  const cur = o.record.currency;
  const items = units.map((u, i) => ({
    itemId: u.line.id,
    sku: u.line.sku,
    title: u.line.title,
    quantity: u.quantity,
    amount: itemShares[i] ?? 0,
  }));
  const what = [...items.map((i) => `${i.quantity} × ${i.title}`), ...(shippingAmount ? ['shipping'] : [])].join(', ');
  const market = isMarketplaceChannel(o.record.channel) ? o.record.channel : undefined;
  const destinationText = market
    ? `: sopdesk records it (stock and statuses); ${marketplaceRefundSentence(market, formatMoney(amount, cur), market === KOGAN_CHANNEL && koganConnected)}`
    : ` to ${money.to.map((t) => `${t.label} (${formatMoney(t.amount, cur)})`).join(' and ')}.`;
  return {
    order: o,
    money,
    returnRef,
    revoke,
    preview: {
      orderId: o.record.id,
      orderName: o.name,
      currency: cur,
      amount,
      amountFormatted: formatMoney(amount, cur),
      itemsAmount: amount - shippingAmount,
      shippingAmount,
      destination: money.destination,
      items,
      to: money.to,
      marketplace: market
        ? {
            channel: market,
            name: MARKETPLACES[market].name,
            via: market === KOGAN_CHANNEL && koganConnected ? 'api' : 'seller_portal',
          }
        : null,
      returnId: returnRef?.id ?? null,
      revokedCodes: revoke.map((c) => c.code),
      resultingStatus: after,
      summary:
        `Refund ${formatMoney(amount, cur)} for ${what}${returnRef ? ` (return ${returnRef.trackingId})` : ''} on order ${o.name}${destinationText}` +
        (revoke.length ? ` ${revoke.length} access code(s) of the refunded units are revoked.` : '') +
        ` The order will be ${after.financialLabel}.`,
    },
  };
}

/**
 * Access is granted for units still paid for (the product-swap procedure): a digital access line keeps at most one active code per unit
 * not refunded, so refunding units takes back the codes beyond that.
 */
async function codesOfRefundedUnits(tx: Tx, o: ActionOrder, units: Units[]): Promise<{ id: string; code: string }[]> {
  const revoke: { id: string; code: string }[] = [];
  for (const { line, quantity } of units) {
    const stillPaid = line.quantity - (o.state.lines.get(line.id)?.refunded ?? 0) - quantity;
    if (line.activeCodes <= stillPaid) continue;
    revoke.push(...(await activeCodesOfLine(tx, line.id)).slice(0, line.activeCodes - stillPaid));
  }
  return revoke;
}

/**
 * Kogan's rules on a refund of a Kogan order (src/domain/kogan.ts), and the shipping it carries: Kogan pays shipping
 * with the lines, so the refund that takes the order's last lines not yet refunded records what is left of the fee.
 */
function koganShipping(o: ActionOrder, units: Units[], input: RefundOrderInput, now: Date): number {
  const refunding = new Map(units.map((u) => [u.line.id, u.quantity]));
  checkKoganRefund({
    orderName: o.name,
    placedAt: o.record.placedAt,
    now,
    lines: units.map((u) => ({
      itemId: u.line.id,
      sku: u.line.sku,
      quantity: u.line.quantity,
      refunded: refundLineState(o, u.line).refunded,
      refunding: u.quantity,
      path: u.path,
    })),
    partialAmount: input.amount !== undefined,
    shippingNamed: (input.shippingAmount ?? 0) > 0,
  });
  return shippingWithLastLines(o, refunding);
}

/**
 * On a Kogan order, the shipping a refund of these units (line id → quantity) carries: what is left of the fee when
 * they are the order's last units not refunded, else 0. Kogan pays shipping with the last lines.
 */
export function shippingWithLastLines(o: ActionOrder, refunding: ReadonlyMap<string, number>): number {
  const last = o.record.lines.every(
    (l) => (o.state.lines.get(l.id)?.refunded ?? 0) + (refunding.get(l.id) ?? 0) >= l.quantity,
  );
  return last ? Math.max(0, o.record.shippingFee - o.state.shippingRefunded) : 0;
}

async function applyRefund(
  scope: WriteScope,
  plan: Plan,
  input: RefundOrderInput,
  ctx: AppContext,
): Promise<RefundResult> {
  const { tx, now, record } = scope;
  const { order: o, preview, returnRef } = plan;
  const items = preview.items.map((i) => ({ lineId: i.itemId, quantity: i.quantity, amount: i.amount }));
  const { id: refundId, transactions } = await writeRefund(
    tx,
    o,
    {
      kind: 'refund',
      returnId: returnRef?.id ?? null,
      amount: preview.amount,
      shippingAmount: preview.shippingAmount,
      reason: input.reason,
      note: input.note ?? null,
      items,
      money: plan.money,
    },
    now,
  );
  await revokeCodes(
    tx,
    plan.revoke.map((c) => c.id),
    now.toISOString(),
  );
  await queueShopifyPush(scope, o.record, ctx.shopify !== undefined, {
    action: 'refund',
    orderId: o.record.id,
    customerId: o.record.customerId,
    refundId,
  });
  await queueKoganPush(scope, o.record, ctx.kogan !== undefined, {
    action: 'refund',
    orderId: o.record.id,
    customerId: o.record.customerId,
    refundId,
  });
  const data = {
    refundId,
    returnId: returnRef?.id ?? null,
    amount: preview.amount,
    shippingAmount: preview.shippingAmount,
    currency: preview.currency,
    destination: preview.destination,
    ...(plan.money.destination === 'marketplace' ? { marketplace: o.record.channel } : {}),
    items,
    ...(plan.revoke.length ? { revokedCodes: preview.revokedCodes } : {}),
  };
  if (returnRef) {
    const at = now.toISOString();
    await moveReturnStatus(tx, { id: returnRef.id, from: 'received', to: 'refunded', at, set: { refundedAt: at } });
    await record({
      type: 'return.refunded',
      customerId: o.record.customerId,
      orderId: o.record.id,
      data: { ...data, trackingId: returnRef.trackingId },
    });
  } else {
    await record({ type: 'refund.issued', customerId: o.record.customerId, orderId: o.record.id, data });
  }
  return { refundId, status: statusOf(toFacts(orderAfter(o, { transactions })), now) };
}

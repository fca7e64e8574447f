/**
 * cancel_order (the Shopify order rules): the whole order, only when nothing is delivered, with a reason from a fixed
 * list. Unpaid: open authorizations are voided, nothing refunded (financial status Voided). Paid: canceled
 * and refunded in one step, the amount chosen by the agent. Unshipped units go back in stock.
 */
import { insertTransactions, markOrderCanceled } from '../../db/repo/orders.js';
import { restock } from '../../db/repo/actions.js';
import { creditBalance } from '../../db/repo/payment-methods.js';
import { hasBalance } from '../../domain/payments.js';
import { CANCEL_POLICY, checkCancelable, defaultCancelRefund } from '../../domain/cancel-rules.js';
import type { TransactionFacts } from '../../domain/order-status.js';
import { checkRefundAmount, unitsValue } from '../../domain/refund-rules.js';
import { notEligible } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { formatMoney, sumMinor } from '../../kernel/money.js';
import type { AppContext } from '../context.js';
import { planMoney, plannedTransactions, writeRefund, type MoneyPlan } from '../refunds/refund-money.js';
import type { ActionOptions, ActionResult, WriteScope } from '../write.js';
import { queueShopifyPush } from '../outbox/push-to-shopify.js';
import { queueKoganPush } from '../outbox/push-to-kogan.js';
import { checkKoganCancel, KOGAN_CHANNEL } from '../../domain/kogan.js';
import { isMarketplaceChannel, MARKETPLACES, marketplaceCancelSentence } from '../../domain/marketplace.js';
import { orderAfter, paidFor, runOrderAction, statusOf, type ActionOrder } from './action-order.js';
import type { CancelOrderInput, CancelPreview, CancelResult } from './cancel-order.schemas.js';
import { toFacts } from './order-view.js';

interface Plan {
  preview: CancelPreview;
  order: ActionOrder;
  money: MoneyPlan | null;
  /** Open authorizations to void; `credit` when the hold sits on a gift card or store credit, whose balance gets it back. */
  voids: { parentId: string; amount: number; paymentMethodId: string | null; credit: { label: string } | null }[];
}

export async function cancelOrder(
  ctx: AppContext,
  input: CancelOrderInput,
  opts: ActionOptions,
): Promise<ActionResult<CancelPreview, CancelResult>> {
  return runOrderAction(ctx, 'cancel_order', input, opts, {
    order: input.orderId,
    plan: (scope, o) => planCancel(scope, o, input, ctx.kogan !== undefined),
    apply: (scope, plan) => applyCancel(scope, plan, input, ctx),
  });
}

async function planCancel(
  { tx, now }: WriteScope,
  o: ActionOrder,
  input: CancelOrderInput,
  koganConnected: boolean,
): Promise<Plan> {
  const { record, derived } = o;
  checkCancelable({ name: o.name, orderStatus: derived.orderStatus, anyDelivered: derived.anyDelivered });
  if (record.channel === KOGAN_CHANNEL)
    checkKoganCancel(
      o.name,
      derived.lines.some((l) => l.fulfilled > 0),
    );
  const cur = record.currency;

  const ok = record.transactions.filter((t) => t.status === 'success');
  const settled = new Set(ok.filter((t) => t.kind === 'capture' || t.kind === 'void').map((t) => t.parentId));
  const voids = ok
    .filter(
      (t) =>
        t.kind === 'authorization' && !settled.has(t.id) && !(t.expiresAt && Date.parse(t.expiresAt) <= now.getTime()),
    )
    .map((t) => {
      const m = o.paymentMethods.find((x) => x.id === t.paymentMethodId);
      return {
        parentId: t.id,
        amount: t.amount,
        paymentMethodId: t.paymentMethodId,
        credit: m && hasBalance(m) ? { label: m.label } : null,
      };
    });

  let money: MoneyPlan | null = null;
  let shippingAmount = 0;
  if (derived.totals.captured === 0) {
    if (input.amount !== undefined && input.amount > 0) {
      throw notEligible(
        'order_unpaid',
        `Order ${o.name} has no captured payment, so nothing can be refunded; cancel it without an amount and its payment is voided.`,
        CANCEL_POLICY.order_unpaid,
      );
    }
  } else {
    const shippingLeft = Math.max(0, record.shippingFee - o.state.shippingRefunded);
    const anyShipped = derived.lines.some((l) => l.fulfilled > 0);
    const amount = input.amount ?? defaultCancelRefund(derived.totals, shippingLeft, anyShipped);
    checkRefundAmount(amount, derived.totals, cur);
    const itemsLeft = sumMinor(
      record.lines.map((l) => {
        const refunded = o.state.lines.get(l.id)?.refunded ?? 0;
        return unitsValue(paidFor(o, l), l.quantity, refunded, l.quantity - refunded);
      }),
    );
    shippingAmount = Math.min(shippingLeft, Math.max(0, amount - itemsLeft));
    if (amount > 0)
      money = await planMoney(tx, o, amount, input.destination ?? 'original_payment', input.paymentMethodId, now);
  }

  const items = record.lines.map((l) => {
    const fulfilled = derived.lines.find((p) => p.lineId === l.id)?.fulfilled ?? 0;
    const tracked = l.variantId !== null && (o.state.lines.get(l.id)?.stockTracked ?? false);
    return {
      itemId: l.id,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      restockQuantity: tracked ? l.quantity - fulfilled : 0,
      variantId: l.variantId,
    };
  });
  const restockMap = new Map<string, { variantId: string; sku: string; quantity: number }>();
  for (const i of items) {
    if (!i.variantId || i.restockQuantity === 0) continue;
    const r = restockMap.get(i.variantId) ?? { variantId: i.variantId, sku: i.sku, quantity: 0 };
    r.quantity += i.restockQuantity;
    restockMap.set(i.variantId, r);
  }
  const voidFacts: TransactionFacts[] = voids.map((v, i) => ({
    id: `planned_void_${i}`,
    kind: 'void',
    status: 'success',
    amount: v.amount,
    parentId: v.parentId,
    expiresAt: null,
  }));
  const after = statusOf(
    {
      ...o.facts,
      canceledAt: now.toISOString(),
      transactions: [...o.facts.transactions, ...voidFacts, ...(money ? plannedTransactions(money) : [])],
    },
    now,
  );
  const voidedAmount = sumMinor(voids.map((v) => v.amount));
  const refund = money
    ? {
        amount: sumMinor(money.to.map((t) => t.amount)),
        amountFormatted: formatMoney(sumMinor(money.to.map((t) => t.amount)), cur),
        shippingAmount,
        destination: money.destination,
        to: money.to,
      }
    : null;
  const restockList = [...restockMap.values()];
  const market = isMarketplaceChannel(record.channel) ? record.channel : undefined;
  const via = market === KOGAN_CHANNEL && koganConnected ? 'api' : 'seller_portal';
  const summary = [
    `Cancel order ${o.name} (reason: ${input.reason}): ${items.map((i) => `${i.quantity} × ${i.title}`).join(', ')}.`,
    market
      ? `${refund ? `Record a refund of ${refund.amountFormatted}${shippingAmount ? ` (shipping included)` : ''}: ` : ''}${marketplaceCancelSentence(market, refund?.amountFormatted ?? null, via === 'api')}`
      : refund
        ? `Refund ${refund.amountFormatted}${shippingAmount ? ` (shipping included)` : ''} to ${refund.to.map((t) => `${t.label} (${formatMoney(t.amount, cur)})`).join(' and ')}.`
        : derived.totals.captured === 0
          ? `Nothing was paid, so nothing is refunded${voidedAmount ? `; the payment authorization of ${formatMoney(voidedAmount, cur)} is voided` : ''}${voids
              .map((v) =>
                v.credit
                  ? `, and ${formatMoney(v.amount, cur)} held on ${v.credit.label} goes back to its balance`
                  : '',
              )
              .join('')}.`
          : 'No refund.',
    restockList.length
      ? `Restock ${restockList.map((r) => `${r.quantity} × ${r.sku}`).join(', ')}.`
      : 'Nothing to restock.',
    `The order will be ${after.orderLabel}, ${after.financialLabel}.`,
  ].join(' ');
  return {
    order: o,
    money,
    voids,
    preview: {
      orderId: record.id,
      orderName: o.name,
      reason: input.reason,
      currency: cur,
      items: items.map(({ variantId: _v, ...i }) => i),
      refund,
      marketplace: market ? { channel: market, name: MARKETPLACES[market].name, via } : null,
      voidedAmount,
      restock: restockList,
      resultingStatus: after,
      summary,
    },
  };
}

async function applyCancel(
  scope: WriteScope,
  plan: Plan,
  input: CancelOrderInput,
  ctx: AppContext,
): Promise<CancelResult> {
  const { tx, now, record } = scope;
  const { order: o, preview } = plan;
  const at = now.toISOString();
  const voids = await insertTransactions(
    tx,
    o.record,
    at,
    plan.voids.map((v) => ({
      id: newId('transaction', now.getTime()),
      paymentMethodId: v.paymentMethodId,
      kind: 'void',
      status: 'success',
      amount: v.amount,
      parentId: v.parentId,
      gatewayRef: null,
    })),
  );
  const refund =
    plan.money && preview.refund
      ? await writeRefund(
          tx,
          o,
          {
            kind: 'cancel',
            returnId: null,
            amount: preview.refund.amount,
            shippingAmount: preview.refund.shippingAmount,
            reason: `Order canceled (${input.reason})`,
            note: input.note ?? null,
            items: [],
            money: plan.money,
          },
          now,
        )
      : null;
  const refundId = refund?.id ?? null;
  for (const v of plan.voids) if (v.credit && v.paymentMethodId) await creditBalance(tx, v.paymentMethodId, v.amount);
  await restock(tx, preview.restock);
  await markOrderCanceled(tx, { id: o.record.id, at, reason: input.reason });
  await queueKoganPush(scope, o.record, ctx.kogan !== undefined, {
    action: 'cancel',
    orderId: o.record.id,
    customerId: o.record.customerId,
    reason: input.reason,
    refundId,
  });
  await queueShopifyPush(scope, o.record, ctx.shopify !== undefined, {
    action: 'cancel',
    orderId: o.record.id,
    customerId: o.record.customerId,
    reason: input.reason,
    refundId,
    restock: preview.restock.length > 0,
  });
  await record({
    type: 'order.canceled',
    customerId: o.record.customerId,
    orderId: o.record.id,
    data: {
      number: o.record.number,
      reason: input.reason,
      currency: preview.currency,
      refundId,
      refundAmount: preview.refund?.amount ?? 0,
      refundDestination: preview.refund?.destination ?? null,
      capturedAmount: o.derived.totals.captured,
      voidedAmount: preview.voidedAmount,
      restocked: preview.restock.map(({ variantId, quantity }) => ({ variantId, quantity })),
    },
  });
  const after = orderAfter(o, {
    canceledAt: at,
    cancelReason: input.reason,
    transactions: [...voids, ...(refund?.transactions ?? [])],
  });
  return { refundId, canceledAt: at, status: statusOf(toFacts(after), now) };
}

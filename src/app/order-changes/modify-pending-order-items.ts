import { eq } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { findOrderActionState } from '../../db/repo/actions.js';
import { findOrderById } from '../../db/repo/orders.js';
import { adjustInventory } from '../../db/repo/variants.js';
import { checkingItem, notEligible } from '../../kernel/errors.js';
import { formatOrderNumber } from '../../kernel/ids.js';
import { formatMoney, sumMinor } from '../../kernel/money.js';
import { describeDifference, POLICY, refuseNothingChanges } from '../../domain/order-changes.js';
import { deriveTotals } from '../../domain/order-status.js';
import type { OrderItemsChangedData } from '../../domain/timeline.js';
import type { AppContext } from '../context.js';
import { toFacts, toOrderView, type OrderView } from '../orders/order-view.js';
import { runAction, type ActionOptions, type ActionResult } from '../write.js';
import { findLine, loadPaymentMethods, lockPendingOrder } from './load.js';
import { applySettlement, describeSettlement, planSettlement, type Settlement } from './settle.js';
import { describeUnchanged, describeVariantChanges, planVariantChange, type UnchangedItem } from './variant-change.js';
import type { ModifyPendingOrderItemsInput } from './schemas.js';
import { assertChangeableInSopdesk } from '../../domain/shopify.js';

export interface ItemsChangePreview {
  orderId: string;
  orderName: string;
  changes: (OrderItemsChangedData['changes'][number] & { difference: number })[];
  /** Items listed with the variant they already are: left as they are. */
  unchanged: UnchangedItem[];
  /** Minor units: > 0 the order costs more, < 0 less. */
  priceDifference: number;
  currency: string;
  /** How the difference is settled: on a payment method when the order has been paid, else the amount due changes. */
  settlement: Settlement;
  summary: string;
}

/**
 * Changes items of an order that has not shipped to other available variants of the same products.
 * Each whole line changes; what it was before is kept in the event. An item listed with the variant it already is
 * stays as it is (the preview lists it under `unchanged`); only when no item would change is the call refused. On a paid order the difference is
 * charged or refunded on a payment method; on an unpaid one it changes what the customer owes.
 */
export async function modifyPendingOrderItems(
  ctx: AppContext,
  input: ModifyPendingOrderItemsInput,
  opts: ActionOptions,
): Promise<ActionResult<ItemsChangePreview, { order: OrderView }>> {
  return runAction(ctx, 'modify_pending_order_items', input, opts, {
    async plan({ tx, now }) {
      const order = await lockPendingOrder(tx, input.orderId);
      assertChangeableInSopdesk(order, 'items', ctx.shopify !== undefined);
      const state = await findOrderActionState(tx, order.id);
      const changes: ItemsChangePreview['changes'] = [];
      const unchanged: UnchangedItem[] = [];
      for (const [i, it] of input.items.entries()) {
        const line = findLine(order, it.itemId, `items.${i}.itemId`);
        const change = await checkingItem(i, line.id, async () => {
          const { kind, from, to } = await planVariantChange(tx, order, line, it, `items.${i}`, line.quantity);
          if (kind === 'unchanged') return undefined;
          // The whole line changes, but units already refunded are settled no more: the customer has that money back.
          const difference =
            (to.unitPrice - from.unitPrice) * (line.quantity - (state.lines.get(line.id)?.refunded ?? 0));
          if (line.discount > line.quantity * to.unitPrice) {
            throw notEligible(
              'discount_exceeds_price',
              `${line.sku} carries a ${formatMoney(line.discount, order.currency)} discount, more than ${line.quantity} × ${to.sku} costs.`,
              POLICY.discountExceedsPrice,
            );
          }
          return { itemId: line.id, quantity: line.quantity, before: from, after: to, difference };
        });
        if (change) changes.push(change);
        else unchanged.push({ itemId: line.id, sku: line.sku, title: line.title, quantity: line.quantity });
      }
      if (changes.length === 0) refuseNothingChanges(unchanged);
      const priceDifference = sumMinor(changes.map((c) => c.difference));
      const totals = deriveTotals(toFacts(order), now);
      // Only money already taken is settled; on an unpaid or merely authorized order the amount due changes instead.
      const paid = totals.captured > 0;
      const settlement = planSettlement({
        difference: paid ? priceDifference : 0,
        currency: order.currency,
        paymentMethodId: input.paymentMethodId,
        methods: await loadPaymentMethods(tx, order.customerId),
        refundable: totals.refundable,
      });
      const what = describeVariantChanges(changes.map((c) => ({ quantity: c.quantity, from: c.before, to: c.after })));
      const money = paid
        ? describeSettlement(priceDifference, settlement)
        : `${describeDifference(priceDifference, order.currency)}; the order is not paid yet, so the amount due changes`;
      return {
        orderId: order.id,
        orderName: formatOrderNumber(order.number),
        changes,
        unchanged,
        priceDifference,
        currency: order.currency,
        settlement,
        summary: `Order ${formatOrderNumber(order.number)}: ${what}${describeUnchanged(unchanged)}; ${money}.`,
      };
    },
    async apply({ tx, now, record }, plan) {
      for (const c of plan.changes) {
        await tx
          .update(s.orderLines)
          .set({ variantId: c.after.variantId, sku: c.after.sku, title: c.after.title, unitPrice: c.after.unitPrice })
          .where(eq(s.orderLines.id, c.itemId));
        if (c.before.variantId) await adjustInventory(tx, c.before.variantId, c.quantity);
        await adjustInventory(tx, c.after.variantId, -c.quantity);
      }
      await tx.update(s.orders).set({ updatedAt: now.toISOString() }).where(eq(s.orders.id, plan.orderId));
      const transactionId = await applySettlement(tx, plan.orderId, plan.settlement, now);
      const order = (await findOrderById(tx, plan.orderId))!;
      await record({
        type: 'order.items_changed',
        customerId: order.customerId,
        orderId: order.id,
        data: {
          changes: plan.changes.map(({ difference: _d, ...c }) => c),
          priceDifference: plan.priceDifference,
          currency: plan.currency,
          paymentMethodId: plan.settlement.paymentMethodId,
          transactionId,
        },
      });
      return { order: toOrderView(order, now) };
    },
  });
}

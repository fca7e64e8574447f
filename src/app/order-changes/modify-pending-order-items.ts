import { setLineVariant, touchOrder } from '../../db/repo/order-changes.js';
import { adjustInventory } from '../../db/repo/variants.js';
import { checkingItem, notEligible } from '../../kernel/errors.js';
import { formatMoney, sumMinor } from '../../kernel/money.js';
import { describeDifference, POLICY, refuseNothingChanges } from '../../domain/order-changes.js';
import type { OrderItemsChangedData } from '../../domain/timeline.js';
import type { AppContext } from '../context.js';
import { assertPending, lineOf, readBack, runOrderAction } from '../orders/action-order.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import type { ActionOptions, ActionResult } from '../write.js';
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
  return runOrderAction(ctx, 'modify_pending_order_items', input, opts, {
    order: input.orderId,
    async plan({ tx }, o) {
      assertPending(o);
      const { record: order, state } = o;
      assertChangeableInSopdesk(order, 'items', ctx.shopify !== undefined);
      const changes: ItemsChangePreview['changes'] = [];
      const unchanged: UnchangedItem[] = [];
      for (const [i, it] of input.items.entries()) {
        const line = lineOf(o, it.itemId, `items.${i}.itemId`);
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
      const { totals } = o.derived;
      // Only money already taken is settled; on an unpaid or merely authorized order the amount due changes instead.
      const paid = totals.captured > 0;
      const settlement = planSettlement({
        difference: paid ? priceDifference : 0,
        currency: order.currency,
        paymentMethodId: input.paymentMethodId,
        methods: o.paymentMethods,
        refundable: totals.refundable,
      });
      const what = describeVariantChanges(changes.map((c) => ({ quantity: c.quantity, from: c.before, to: c.after })));
      const money = paid
        ? describeSettlement(priceDifference, settlement)
        : `${describeDifference(priceDifference, order.currency)}; the order is not paid yet, so the amount due changes`;
      const preview: ItemsChangePreview = {
        orderId: order.id,
        orderName: o.name,
        changes,
        unchanged,
        priceDifference,
        currency: order.currency,
        settlement,
        summary: `Order ${o.name}: ${what}${describeUnchanged(unchanged)}; ${money}.`,
      };
      return { preview, o };
    },
    async apply(scope, { preview: plan, o }) {
      const { tx, now, record } = scope;
      for (const c of plan.changes) {
        const { variantId, sku, title, unitPrice } = c.after;
        await setLineVariant(tx, c.itemId, { variantId, sku, title, unitPrice });
        if (c.before.variantId) await adjustInventory(tx, c.before.variantId, c.quantity);
        await adjustInventory(tx, c.after.variantId, -c.quantity);
      }
      await touchOrder(tx, plan.orderId, now.toISOString());
      const transactionId = await applySettlement(tx, plan.orderId, plan.settlement, now);
      const order = await readBack(scope, o);
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

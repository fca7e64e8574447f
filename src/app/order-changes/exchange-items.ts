import * as s from '../../db/schema/index.js';
import { findOrderActionState } from '../../db/repo/actions.js';
import { findExchangeById, type ExchangeRecord } from '../../db/repo/exchanges.js';
import { findOrderById } from '../../db/repo/orders.js';
import { adjustInventory } from '../../db/repo/variants.js';
import { checkingItem, notEligible } from '../../kernel/errors.js';
import { formatOrderNumber, newId } from '../../kernel/ids.js';
import { sumMinor } from '../../kernel/money.js';
import { POLICY } from '../../domain/order-changes.js';
import { exchangeableQuantity } from '../../domain/exchanges.js';
import { deriveStatus } from '../../domain/order-status.js';
import type { AppContext } from '../context.js';
import { toFacts, toOrderView, type OrderView } from '../orders/order-view.js';
import { runAction, type ActionOptions, type ActionResult } from '../write.js';
import { findLine, loadPaymentMethods, lockOpenOrder } from './load.js';
import { applySettlement, describeSettlement, planSettlement, type Settlement } from './settle.js';
import { describeVariantChanges, planVariantChange, type VariantChange } from './variant-change.js';
import type { ExchangeItemsInput } from './schemas.js';
import { assertChangeableInSopdesk } from '../../domain/shopify.js';
import { requireCustomer } from '../../domain/order-customer.js';

export interface ExchangePreview {
  orderId: string;
  orderName: string;
  items: ({ itemId: string; quantity: number } & VariantChange)[];
  /** Minor units: > 0 charged, < 0 refunded. */
  priceDifference: number;
  currency: string;
  settlement: Settlement;
  summary: string;
}

export interface ExchangeResult {
  exchange: ExchangeRecord;
  order: OrderView;
}

/**
 * Exchanges delivered units for another available variant of the same product. The price difference
 * is charged to or refunded on a payment method the customer owns; the exchange starts as `requested`.
 */
export async function exchangeItems(ctx: AppContext, input: ExchangeItemsInput, opts: ActionOptions): Promise<ActionResult<ExchangePreview, ExchangeResult>> {
  return runAction(ctx, 'exchange_items', input, opts, {
    async plan({ tx, now }) {
      const order = await lockOpenOrder(tx, input.orderId);
      assertChangeableInSopdesk(order, 'exchange', ctx.shopify !== undefined);
      requireCustomer(order, 'an exchange');
      const derived = deriveStatus(toFacts(order), now);
      const state = await findOrderActionState(tx, order.id);
      const items: ExchangePreview['items'] = [];
      for (const [i, it] of input.items.entries()) {
        const line = findLine(order, it.itemId, `items.${i}.itemId`);
        items.push(await checkingItem(i, line.id, async () => {
          const delivered = derived.lines.find((p) => p.lineId === line.id)?.delivered ?? 0;
          if (delivered === 0) {
            throw notEligible('not_delivered', `${line.sku} on order #${order.number} has not been delivered yet; it can be exchanged once it is delivered.`, POLICY.notDelivered);
          }
          const { returnedOrRequested = 0, exchanged = 0, refundedWithoutReturn = 0 } = state.lines.get(line.id) ?? {};
          const open = exchangeableQuantity({ quantity: line.quantity, delivered, returnedOrRequested, exchanged, refundedWithoutReturn });
          if (it.quantity > open) {
            throw notEligible(
              'exceeds_exchangeable_quantity',
              `Only ${open} unit(s) of ${line.sku} can still be exchanged (${delivered} delivered, ${returnedOrRequested} returned or in a return request, ${exchanged} already in an exchange, ${refundedWithoutReturn} refunded).`,
              POLICY.exceedsExchangeable, { exchangeable: open },
            );
          }
          return { itemId: line.id, quantity: it.quantity, ...(await planVariantChange(tx, order, line, it, `items.${i}`, it.quantity)) };
        }));
      }
      const priceDifference = sumMinor(items.map((x) => x.difference));
      const methods = await loadPaymentMethods(tx, order.customerId);
      const settlement = planSettlement({ difference: priceDifference, currency: order.currency, paymentMethodId: input.paymentMethodId, methods, refundable: derived.totals.refundable });
      return {
        orderId: order.id,
        orderName: formatOrderNumber(order.number),
        items,
        priceDifference,
        currency: order.currency,
        settlement,
        summary: `Exchange on order ${formatOrderNumber(order.number)}: ${describeVariantChanges(items)}; ${describeSettlement(priceDifference, settlement)}. The replacement ships once the exchange is processed.`,
      };
    },
    async apply({ tx, now, record }, plan) {
      const order = (await findOrderById(tx, plan.orderId))!;
      const transactionId = await applySettlement(tx, order.id, plan.settlement, now);
      const id = newId('exchange', now.getTime());
      const at = now.toISOString();
      await tx.insert(s.exchanges).values({
        id, orderId: order.id, customerId: requireCustomer(order, 'an exchange'), status: 'requested', reason: input.reason ?? null,
        priceDifference: plan.priceDifference, currency: order.currency, paymentMethodId: plan.settlement.paymentMethodId,
        transactionId, createdAt: at, updatedAt: at,
      });
      await tx.insert(s.exchangeItems).values(plan.items.map((x) => ({
        exchangeId: id, lineId: x.itemId, quantity: x.quantity, fromVariantId: x.from.variantId, fromSku: x.from.sku,
        toVariantId: x.to.variantId, toSku: x.to.sku, fromUnitPrice: x.from.unitPrice, toUnitPrice: x.to.unitPrice,
      })));
      // The replacement units leave stock now; the exchanged units come back through a return.
      for (const x of plan.items) await adjustInventory(tx, x.to.variantId, -x.quantity);
      await record({
        type: 'exchange.requested', customerId: order.customerId, orderId: order.id,
        data: {
          exchangeId: id,
          items: plan.items.map((x) => ({ itemId: x.itemId, quantity: x.quantity, fromSku: x.from.sku, toSku: x.to.sku, fromUnitPrice: x.from.unitPrice, toUnitPrice: x.to.unitPrice })),
          priceDifference: plan.priceDifference, currency: order.currency, paymentMethodId: plan.settlement.paymentMethodId, transactionId,
        },
      });
      return { exchange: (await findExchangeById(tx, id))!, order: toOrderView((await findOrderById(tx, order.id))!, now) };
    },
  });
}

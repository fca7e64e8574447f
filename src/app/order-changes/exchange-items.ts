import { findExchangeById, insertExchange, type ExchangeRecord } from '../../db/repo/exchanges.js';
import { adjustInventory } from '../../db/repo/variants.js';
import { checkingItem, notEligible } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { sumMinor } from '../../kernel/money.js';
import { assertNotCanceled, POLICY, refuseNothingChanges } from '../../domain/order-changes.js';
import { assertExchangeAllowed, exchangeableQuantity, type ReplacementReason } from '../../domain/exchanges.js';
import { datedReturnWindow, resolveReturnWindow } from '../../domain/return-window.js';
import type { AppContext } from '../context.js';
import { lineOf, readBack, returnLineState, runOrderAction } from '../orders/action-order.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import type { ActionOptions, ActionResult } from '../write.js';
import { applySettlement, describeSettlement, planSettlement, type Settlement } from './settle.js';
import {
  describeUnchanged,
  describeVariantChanges,
  planVariantChange,
  type UnchangedItem,
  type VariantChange,
} from './variant-change.js';
import type { ExchangeItemsInput } from './schemas.js';
import { assertChangeableInSopdesk } from '../../domain/shopify.js';
import { requireCustomer } from '../../domain/order-customer.js';

export interface ExchangePreview {
  orderId: string;
  orderName: string;
  /** Items that change variant, and replacements (the same variant again, `kind: 'replacement'`). */
  items: ({ itemId: string; quantity: number } & VariantChange & { kind: 'change' | 'replacement' })[];
  /** Items listed with the variant they already are, not as a replacement: left as they are. */
  unchanged: UnchangedItem[];
  /** DAMAGED or DEFECTIVE when the exchange replaces damaged or defective units; null otherwise. */
  replacementReason: ReplacementReason | null;
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
 * Exchanges delivered units for another available variant of the same product, or replaces damaged or defective
 * units with the same variant (`replacementReason`). An exchange follows the return rules of the Handling Returns
 * procedure: returnable items only, within their return window. The price difference is charged to or refunded on a
 * payment method the customer owns (a replacement has none); the exchange starts as `requested`.
 */
export async function exchangeItems(
  ctx: AppContext,
  input: ExchangeItemsInput,
  opts: ActionOptions,
): Promise<ActionResult<ExchangePreview, ExchangeResult>> {
  return runOrderAction(ctx, 'exchange_items', input, opts, {
    order: input.orderId,
    async plan({ tx, now }, o) {
      const order = o.record;
      assertNotCanceled(order);
      assertChangeableInSopdesk(order, 'exchange', ctx.shopify !== undefined);
      const customerId = requireCustomer(order, 'an exchange');
      const replacement = input.replacementReason !== undefined;
      const items: ExchangePreview['items'] = [];
      const unchanged: UnchangedItem[] = [];
      for (const [i, it] of input.items.entries()) {
        const line = lineOf(o, it.itemId, `items.${i}.itemId`);
        const planned = await checkingItem(i, line.id, async () => {
          const change = await planVariantChange(tx, order, line, it, `items.${i}`, it.quantity, { replacement });
          if (change.kind === 'unchanged') return undefined;
          const window = datedReturnWindow(
            resolveReturnWindow(
              { productWindowDays: line.returnWindowDays, category: line.category, channel: order.channel },
              o.returnRules,
            ),
            order.placedAt,
            now,
          );
          assertExchangeAllowed(line, { name: o.name, window });
          const { delivered, returnedOrRequested, exchanged, refundedWithoutReturn } = returnLineState(o, line);
          if (delivered === 0) {
            throw notEligible(
              'not_delivered',
              `${line.sku} on order ${o.name} has not been delivered yet; it can be exchanged once it is delivered.`,
              POLICY.notDelivered,
            );
          }
          const open = exchangeableQuantity({
            quantity: line.quantity,
            delivered,
            returnedOrRequested,
            exchanged,
            refundedWithoutReturn,
          });
          if (it.quantity > open) {
            throw notEligible(
              'exceeds_exchangeable_quantity',
              `Only ${open} unit(s) of ${line.sku} can still be exchanged (${delivered} delivered, ${returnedOrRequested} returned or in a return request, ${exchanged} already in an exchange, ${refundedWithoutReturn} refunded).`,
              POLICY.exceedsExchangeable,
              { exchangeable: open },
            );
          }
          return { itemId: line.id, quantity: it.quantity, ...change, kind: change.kind };
        });
        if (planned) items.push(planned);
        else unchanged.push({ itemId: line.id, sku: line.sku, title: line.title, quantity: it.quantity });
      }
      if (items.length === 0)
        refuseNothingChanges(
          unchanged,
          '; to replace a damaged or defective item with the same variant, give replacementReason',
        );
      const priceDifference = sumMinor(items.map((x) => x.difference));
      const settlement = planSettlement({
        difference: priceDifference,
        currency: order.currency,
        paymentMethodId: input.paymentMethodId,
        methods: o.paymentMethods,
        refundable: o.derived.totals.refundable,
      });
      const what = `${describeVariantChanges(items)}${describeUnchanged(unchanged)}`;
      const next = items.some((x) => x.kind === 'replacement')
        ? 'The replacement ships once the exchange is processed; the damaged or defective item goes back through a return, at no cost to the customer.'
        : 'The replacement ships once the exchange is processed.';
      const preview: ExchangePreview = {
        orderId: order.id,
        orderName: o.name,
        items,
        unchanged,
        replacementReason: input.replacementReason ?? null,
        priceDifference,
        currency: order.currency,
        settlement,
        summary: `${replacement ? 'Replacement' : 'Exchange'} on order ${o.name}: ${what}; ${describeSettlement(priceDifference, settlement)}. ${next}`,
      };
      return { preview, o, customerId };
    },
    async apply(scope, { preview: plan, o, customerId }) {
      const { tx, now, record } = scope;
      const order = o.record;
      const transactionId = await applySettlement(tx, order.id, plan.settlement, now);
      const id = newId('exchange', now.getTime());
      await insertExchange(
        tx,
        {
          id,
          orderId: order.id,
          customerId,
          status: 'requested',
          reason: input.reason ?? input.replacementReason ?? null,
          priceDifference: plan.priceDifference,
          currency: order.currency,
          paymentMethodId: plan.settlement.paymentMethodId,
          transactionId,
          at: now.toISOString(),
        },
        plan.items.map((x) => ({
          itemId: x.itemId,
          quantity: x.quantity,
          fromVariantId: x.from.variantId,
          fromSku: x.from.sku,
          toVariantId: x.to.variantId,
          toSku: x.to.sku,
          fromUnitPrice: x.from.unitPrice,
          toUnitPrice: x.to.unitPrice,
        })),
      );
      // The replacement units leave stock now (for a replacement, of the same variant); the exchanged units come back through a return.
      for (const x of plan.items) await adjustInventory(tx, x.to.variantId, -x.quantity);
      await record({
        type: 'exchange.requested',
        customerId: order.customerId,
        orderId: order.id,
        data: {
          exchangeId: id,
          items: plan.items.map((x) => ({
            itemId: x.itemId,
            quantity: x.quantity,
            fromSku: x.from.sku,
            toSku: x.to.sku,
            fromUnitPrice: x.from.unitPrice,
            toUnitPrice: x.to.unitPrice,
            title: x.from.title,
            toTitle: x.to.title,
            replacement: x.kind === 'replacement',
          })),
          replacementReason: plan.replacementReason,
          paymentMethodLabel: plan.settlement.paymentMethodLabel,
          priceDifference: plan.priceDifference,
          currency: order.currency,
          paymentMethodId: plan.settlement.paymentMethodId,
          transactionId,
        },
      });
      const exchange = await findExchangeById(tx, id);
      if (!exchange) throw new Error(`exchange ${id} was not written`);
      return { exchange, order: toOrderView(await readBack(scope, o), now) };
    },
  });
}

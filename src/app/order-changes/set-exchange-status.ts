import { eq } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { findExchangeById, type ExchangeRecord } from '../../db/repo/exchanges.js';
import { findOrderById } from '../../db/repo/orders.js';
import { adjustInventory } from '../../db/repo/variants.js';
import { notFound } from '../../kernel/errors.js';
import { assertTransition } from '../../domain/exchanges.js';
import { deriveTotals } from '../../domain/order-status.js';
import type { AppContext } from '../context.js';
import { toFacts } from '../orders/order-view.js';
import { runAction, type ActionOptions, type ActionResult } from '../write.js';
import { loadPaymentMethods, lockAndLoadOrder } from './load.js';
import { applySettlement, planSettlement, type Settlement } from './settle.js';
import type { SetExchangeStatusInput } from './schemas.js';

export interface ExchangeStatusPreview {
  exchangeId: string;
  from: ExchangeRecord['status'];
  to: 'completed' | 'canceled';
  /** On cancel: the price difference reversed (a charge refunded, a refund charged back); none otherwise. */
  reversal: Settlement;
}

/**
 * Moves an exchange through its transition table: requested → completed, or requested → canceled. A cancel
 * reverses the price difference on the same payment method and puts the replacement units back in stock.
 */
export async function setExchangeStatus(
  ctx: AppContext,
  input: SetExchangeStatusInput,
  opts: ActionOptions,
): Promise<ActionResult<ExchangeStatusPreview, { exchange: ExchangeRecord }>> {
  return runAction(ctx, 'set_exchange_status', input, opts, {
    async plan({ tx, now }) {
      const found = await findExchangeById(tx, input.exchangeId);
      if (!found) throw notFound('exchange', input.exchangeId);
      const order = await lockAndLoadOrder(tx, found.orderId);
      const ex = (await findExchangeById(tx, input.exchangeId))!;
      assertTransition(ex.id, ex.status, input.status);
      const reverse = input.status === 'canceled' ? -ex.priceDifference : 0;
      const reversal = planSettlement({
        difference: reverse,
        currency: ex.currency,
        paymentMethodId: ex.paymentMethodId ?? undefined,
        methods: await loadPaymentMethods(tx, order.customerId),
        refundable: deriveTotals(toFacts(order), now).refundable,
      });
      return { exchangeId: ex.id, from: ex.status, to: input.status, reversal };
    },
    async apply({ tx, now, record }, plan) {
      const ex = (await findExchangeById(tx, plan.exchangeId))!;
      await tx
        .update(s.exchanges)
        .set({ status: plan.to, updatedAt: now.toISOString() })
        .where(eq(s.exchanges.id, ex.id));
      const order = (await findOrderById(tx, ex.orderId))!;
      if (plan.to === 'completed') {
        await record({
          type: 'exchange.completed',
          customerId: order.customerId,
          orderId: order.id,
          data: { exchangeId: ex.id },
        });
      } else {
        const transactionId = await applySettlement(tx, order.id, plan.reversal, now);
        for (const it of ex.items) await adjustInventory(tx, it.toVariantId, it.quantity);
        await record({
          type: 'exchange.canceled',
          customerId: order.customerId,
          orderId: order.id,
          data: {
            exchangeId: ex.id,
            reason: input.reason ?? null,
            reversedAmount: plan.reversal.amount,
            transactionId,
          },
        });
      }
      return { exchange: (await findExchangeById(tx, ex.id))! };
    },
  });
}

import type { Executor } from '../../db/database.js';
import { findExchangeById, updateExchangeStatus, type ExchangeRecord } from '../../db/repo/exchanges.js';
import { adjustInventory } from '../../db/repo/variants.js';
import { notFound } from '../../kernel/errors.js';
import { assertTransition } from '../../domain/exchanges.js';
import type { AppContext } from '../context.js';
import { runOrderAction } from '../orders/action-order.js';
import type { ActionOptions, ActionResult } from '../write.js';
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
  const exchange = async (ex: Executor) => {
    const found = await findExchangeById(ex, input.exchangeId);
    if (!found) throw notFound('exchange', input.exchangeId);
    return found;
  };
  return runOrderAction(ctx, 'set_exchange_status', input, opts, {
    order: async (ex) => (await exchange(ex)).orderId,
    async plan({ tx }, o) {
      const ex = await exchange(tx); // read again under the order lock
      assertTransition(ex.id, ex.status, input.status);
      const reverse = input.status === 'canceled' ? -ex.priceDifference : 0;
      const reversal = planSettlement({
        difference: reverse,
        currency: ex.currency,
        paymentMethodId: ex.paymentMethodId ?? undefined,
        methods: o.paymentMethods,
        refundable: o.derived.totals.refundable,
      });
      const preview: ExchangeStatusPreview = { exchangeId: ex.id, from: ex.status, to: input.status, reversal };
      return { preview, ex, order: o.record };
    },
    async apply({ tx, now, record }, { preview: plan, ex, order }) {
      await updateExchangeStatus(tx, { id: ex.id, status: plan.to, at: now.toISOString() });
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
      return { exchange: await exchange(tx) };
    },
  });
}

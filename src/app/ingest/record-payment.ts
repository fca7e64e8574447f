import * as s from '../../db/schema/index.js';
import { findOrderById, lockOrder } from '../../db/repo/orders.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { write } from '../write.js';
import { transactionRow } from './rows.js';
import type { TransactionInput } from './schemas.js';

/** Records what a payment provider reports for an order: an authorization, capture, sale, refund or void. */
export async function recordPayment(ctx: AppContext, orderId: string, input: TransactionInput, opts: WriteOptions): Promise<OrderView> {
  return write(ctx, 'record_payment', { orderId, input }, opts, async ({ tx, now, record }) => {
    if (!(await lockOrder(tx, orderId))) throw notFound('order', orderId);
    const order = (await findOrderById(tx, orderId))!;
    if (input.parentId && !order.transactions.some((t) => t.id === input.parentId)) throw invalid('parentId', 'must name a transaction of this order');
    if (input.paymentMethodId) {
      const customer = order.customerId ? await findCustomerById(tx, order.customerId) : undefined;
      if (!customer?.paymentMethods.some((m) => m.id === input.paymentMethodId)) throw invalid('paymentMethodId', 'is not a payment method of this customer');
    }
    const id = input.id ?? newId('transaction', now.getTime());
    await tx.insert(s.paymentTransactions).values(transactionRow(input, { id, orderId, currency: order.currency, processedAt: now.toISOString() }));
    await record({ type: 'payment.recorded', customerId: order.customerId, orderId, data: { transactionId: id, kind: input.kind, status: input.status, amount: input.amount, currency: order.currency } });
    return toOrderView((await findOrderById(tx, orderId))!, now);
  });
}

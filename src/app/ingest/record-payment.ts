import { insertTransaction } from '../../db/repo/ingest.js';
import { findOrderById, insertTransactions, lockOrder, type OrderRecord } from '../../db/repo/orders.js';
import { beforeCommit } from '../../db/pipelining.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import { resolveOrderId } from '../orders/resolve-order.js';
import { write, type WriteScope } from '../write.js';
import { transactionRow } from './rows.js';
import type { TransactionInput } from './schemas.js';

/**
 * Records what a payment provider reports for an order: an authorization, capture, sale, refund or void. `orderRef`:
 * any reference of the order (`ord_…`, `#1001`, the channel's reference or name: `resolveOrderId`).
 */
export async function recordPayment(
  ctx: AppContext,
  orderRef: string,
  input: TransactionInput,
  opts: WriteOptions,
): Promise<OrderView> {
  return write(ctx, 'record_payment', { orderId: orderRef, input }, opts, async (scope) => {
    const orderId = await resolveOrderId(scope.tx, orderRef, 'id');
    if (!(await lockOrder(scope.tx, orderId))) throw notFound('order', orderRef);
    await recordPaymentOn(scope, (await findOrderById(scope.tx, orderId))!, input);
    return toOrderView((await findOrderById(scope.tx, orderId))!, scope.now);
  });
}

/**
 * The payment on `order`, which the caller locked and read in this transaction: checked, written, its event recorded.
 * Gives the order as it is now (the facts read plus this one), so a caller writing several facts reads the order once.
 * `withCommit`: the caller reads nothing back from the database, so on a server the insert can go with the commit.
 */
export async function recordPaymentOn(
  { tx, now, record }: WriteScope,
  order: OrderRecord,
  input: TransactionInput,
  withCommit = false,
): Promise<OrderRecord> {
  if (input.parentId && !order.transactions.some((t) => t.id === input.parentId))
    throw invalid('parentId', 'must name a transaction of this order');
  if (input.paymentMethodId) {
    const customer = order.customerId ? await findCustomerById(tx, order.customerId) : undefined;
    if (!customer?.paymentMethods.some((m) => m.id === input.paymentMethodId))
      throw invalid('paymentMethodId', 'is not a payment method of this customer');
  }
  const id = input.id ?? newId('transaction', now.getTime());
  const row = transactionRow(input, {
    id,
    orderId: order.id,
    currency: order.currency,
    processedAt: now.toISOString(),
  });
  if (withCommit && row.expiresAt === null) {
    const t = {
      id,
      paymentMethodId: row.paymentMethodId,
      kind: row.kind,
      status: row.status,
      amount: row.amount,
      parentId: row.parentId,
      gatewayRef: row.gatewayRef,
    };
    await beforeCommit(tx, () =>
      insertTransactions(tx, { id: order.id, currency: order.currency }, row.processedAt, [t]),
    );
  } else {
    await insertTransaction(tx, row);
  }
  await record({
    type: 'payment.recorded',
    customerId: order.customerId,
    orderId: order.id,
    data: { transactionId: id, kind: input.kind, status: input.status, amount: input.amount, currency: order.currency },
  });
  const { orderId: _o, ...held } = row;
  return {
    ...order,
    transactions: [...order.transactions, held],
  };
}

/** Confirmations waiting in the outbox, for the suites on its dispatchers, retries and order of delivery. */
import type { AppContext } from '../../src/app/context.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { write } from '../../src/app/write.js';

/**
 * `count` customers (Customer 0 at c0@example.com, …), each with `perCustomer` return confirmations to send, the k-th
 * naming tracking id `RT-<c>-<k>`. They are written interleaved (customer 0's first, customer 1's first, …, then
 * each one's second), so a dispatcher that sends a customer's messages out of order shows.
 */
export async function customersWithConfirmations(ctx: AppContext, count: number, perCustomer: number) {
  const customers = [];
  for (let c = 0; c < count; c++) {
    customers.push(
      await upsertCustomer(ctx, CustomerInput.parse({ name: `Customer ${c}`, emails: [`c${c}@example.com`] }), {
        actor: { kind: 'system' },
      }),
    );
  }
  for (let k = 0; k < perCustomer; k++) {
    for (const [c, customer] of customers.entries()) {
      await write(ctx, 'test_return', null, { actor: { kind: 'human', id: 'alex' } }, ({ record }) =>
        record({
          type: 'return.requested',
          customerId: customer.id,
          orderId: null,
          data: { trackingId: `RT-${c}-${k}` },
        } as never),
      );
    }
  }
  return customers;
}

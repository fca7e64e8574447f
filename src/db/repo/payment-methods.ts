import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import { paymentMethods } from '../schema/index.js';

/**
 * Takes `amount` minor units off a balance only if the balance covers it; answers false otherwise.
 * The condition sits in the UPDATE itself, so two concurrent charges can never take a balance below zero.
 */
export async function debitBalance(ex: Executor, paymentMethodId: string, amount: number): Promise<boolean> {
  const r = await rows<{ id: string }>(
    ex,
    sql`
    update payment_methods set balance = balance - ${amount}
    where id = ${paymentMethodId} and balance is not null and balance >= ${amount} returning id`,
  );
  return r.length === 1;
}

export async function creditBalance(ex: Executor, paymentMethodId: string, amount: number): Promise<void> {
  await ex.execute(
    sql`update payment_methods set balance = coalesce(balance, 0) + ${amount} where id = ${paymentMethodId}`,
  );
}

/** Opens a store credit for the customer, with a balance of 0 (a refund to it then credits the balance). */
export async function insertStoreCredit(
  ex: Executor,
  c: { id: string; customerId: string; currency: string; at: string },
): Promise<void> {
  await ex.insert(paymentMethods).values({
    id: c.id,
    customerId: c.customerId,
    kind: 'store_credit',
    label: 'Store credit',
    balance: 0,
    currency: c.currency,
    createdAt: c.at,
  });
}

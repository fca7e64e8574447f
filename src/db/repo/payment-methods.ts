import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';

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

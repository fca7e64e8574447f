/**
 * Rules for moving money on a customer's payment methods. Gift cards and store credit carry a balance
 * that a charge must be covered by (it never goes negative); cards and PayPal have no balance here.
 */
import { notEligible } from '../kernel/errors.js';
import { formatMoney } from '../kernel/money.js';
import { POLICY } from './order-changes.js';
import type { TransactionFacts } from './order-status.js';
import type { CaptureBalance } from './refund-rules.js';

export const PAYMENT_METHOD_KINDS = ['card', 'paypal', 'gift_card', 'store_credit'] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHOD_KINDS)[number];

export interface PaymentMethodFacts {
  id: string;
  kind: string;
  label: string;
  /** Minor units; null for methods without a balance (card, PayPal). */
  balance: number | null;
  currency: string | null;
}

export function hasBalance(m: Pick<PaymentMethodFacts, 'kind'>): boolean {
  return m.kind === 'gift_card' || m.kind === 'store_credit';
}

/** The method must belong to the customer; an unknown id gets the same answer (it is not theirs). */
export function requireOwnedMethod(methods: readonly PaymentMethodFacts[], id: string): PaymentMethodFacts {
  const m = methods.find((x) => x.id === id);
  if (!m) {
    throw notEligible(
      'payment_method_not_owned',
      `Payment method ${id} is not one of this customer's payment methods.`,
      POLICY.paymentMethodNotOwned,
    );
  }
  return m;
}

/** A method can take a charge of `amount` in `currency`: a balance must cover it, in its own currency. */
export function assertCanCharge(m: PaymentMethodFacts, amount: number, currency: string): void {
  if (!hasBalance(m) || amount <= 0) return;
  if (m.currency && m.currency !== currency) {
    throw notEligible(
      'currency_mismatch',
      `${m.label} holds ${m.currency}; this charge is in ${currency}.`,
      POLICY.currencyMismatch,
    );
  }
  const balance = m.balance ?? 0;
  if (balance < amount) {
    throw notEligible(
      'insufficient_balance',
      `${m.label} has ${formatMoney(balance, currency)} left, which does not cover ${formatMoney(amount, currency)}. Choose another payment method.`,
      POLICY.insufficientBalance,
      { balance, amount },
    );
  }
}

/** A refund may go to a balance method only in its own currency. */
export function assertCanReceiveRefund(m: PaymentMethodFacts, currency: string): void {
  if (hasBalance(m) && m.currency && m.currency !== currency) {
    throw notEligible(
      'currency_mismatch',
      `${m.label} holds ${m.currency}; this refund is in ${currency}.`,
      POLICY.currencyMismatch,
    );
  }
}

export function assertRefundable(refundable: number, amount: number, currency: string): void {
  if (amount > refundable) {
    throw notEligible(
      'exceeds_refundable_amount',
      `Refunding ${formatMoney(amount, currency)} would exceed the ${formatMoney(refundable, currency)} still refundable on this order.`,
      POLICY.exceedsRefundable,
      { refundable, amount },
    );
  }
}

type PaymentTx = TransactionFacts & { paymentMethodId: string | null };

/** The payment method of a transaction: its own, or that of the authorization it settles. */
export function methodOf(t: PaymentTx, all: readonly PaymentTx[]): string | null {
  if (t.paymentMethodId) return t.paymentMethodId;
  const parent = t.parentId ? all.find((x) => x.id === t.parentId) : undefined;
  return parent?.paymentMethodId ?? null;
}

/**
 * What each capture or sale still holds: its amount less the refunds made against it (`parentId`). A refund that
 * names no capture (a price difference given back on an exchange) is taken from the captures of its method, newest
 * first. Captures in order, with the method that paid (a capture takes its authorization's).
 */
export function captureBalances(txs: readonly PaymentTx[]): CaptureBalance[] {
  const ok = txs.filter((t) => t.status === 'success');
  const captures = ok
    .filter((t) => t.kind === 'capture' || t.kind === 'sale')
    .map((c) => ({ transactionId: c.id, paymentMethodId: methodOf(c, txs), remaining: c.amount }));
  const byId = new Map(captures.map((c) => [c.transactionId, c]));
  for (const r of ok.filter((t) => t.kind === 'refund')) {
    const parent = r.parentId ? byId.get(r.parentId) : undefined;
    let left = r.amount;
    for (const c of parent ? [parent] : captures.filter((c) => c.paymentMethodId === methodOf(r, txs)).reverse()) {
      const take = Math.min(left, c.remaining);
      c.remaining -= take;
      left -= take;
    }
  }
  return captures;
}

/** Authorizations that are still open: successful, not captured or voided, not expired. */
export function openAuthorizations<T extends TransactionFacts>(txs: readonly T[], now: Date): T[] {
  const settled = new Set(
    txs.filter((t) => t.status === 'success' && (t.kind === 'capture' || t.kind === 'void')).map((t) => t.parentId),
  );
  return txs.filter(
    (t) =>
      t.kind === 'authorization' &&
      t.status === 'success' &&
      !settled.has(t.id) &&
      !(t.expiresAt && Date.parse(t.expiresAt) <= now.getTime()),
  );
}

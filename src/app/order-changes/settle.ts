/**
 * Settling a price difference on a payment method of the customer: a positive difference is charged
 * (a sale), a negative one refunded. Used by exchanges and changes to unshipped orders.
 */
import type { Tx } from '../../db/database.js';
import { insertTransactions } from '../../db/repo/orders.js';
import { creditBalance, debitBalance } from '../../db/repo/payment-methods.js';
import { invalid, notEligible } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { formatMoney } from '../../kernel/money.js';
import { describeDifference, POLICY } from '../../domain/order-changes.js';
import {
  assertCanCharge,
  assertCanReceiveRefund,
  assertRefundable,
  hasBalance,
  requireOwnedMethod,
  type PaymentMethodFacts,
} from '../../domain/payments.js';

export interface Settlement {
  /** charge: the customer pays the difference; refund: the customer gets it back; none: no difference. */
  kind: 'charge' | 'refund' | 'none';
  /** Minor units, never negative. */
  amount: number;
  currency: string;
  paymentMethodId: string | null;
  paymentMethodLabel: string | null;
  /** card, paypal, gift_card or store_credit. */
  paymentMethodKind: string | null;
  /** The gift card / store credit balance after settling; null for methods without a balance. */
  balanceAfter: number | null;
}

export function planSettlement(opts: {
  difference: number;
  currency: string;
  paymentMethodId: string | undefined;
  methods: readonly PaymentMethodFacts[];
  /** captured − refunded on the order: a refund can never exceed it. */
  refundable: number;
}): Settlement {
  const { difference, currency } = opts;
  if (difference === 0)
    return {
      kind: 'none',
      amount: 0,
      currency,
      paymentMethodId: null,
      paymentMethodLabel: null,
      paymentMethodKind: null,
      balanceAfter: null,
    };
  if (!opts.paymentMethodId) {
    const what =
      difference > 0
        ? `costs ${formatMoney(difference, currency)} more`
        : `costs ${formatMoney(-difference, currency)} less`;
    throw invalid(
      'paymentMethodId',
      `the change ${what}; give the payment method (pm_…) of the customer to ${difference > 0 ? 'charge' : 'refund'}`,
    );
  }
  const m = requireOwnedMethod(opts.methods, opts.paymentMethodId);
  const amount = Math.abs(difference);
  if (difference > 0) {
    assertCanCharge(m, amount, currency);
    return {
      kind: 'charge',
      amount,
      currency,
      paymentMethodId: m.id,
      paymentMethodLabel: m.label,
      paymentMethodKind: m.kind,
      balanceAfter: hasBalance(m) ? (m.balance ?? 0) - amount : null,
    };
  }
  assertCanReceiveRefund(m, currency);
  assertRefundable(opts.refundable, amount, currency);
  return {
    kind: 'refund',
    amount,
    currency,
    paymentMethodId: m.id,
    paymentMethodLabel: m.label,
    paymentMethodKind: m.kind,
    balanceAfter: hasBalance(m) ? (m.balance ?? 0) + amount : null,
  };
}

/** "$5.00 to charge on Visa •••• 4242", for summaries. */
export function describeSettlement(difference: number, st: Settlement): string {
  return `${describeDifference(difference, st.currency)}${st.paymentMethodLabel ? ` on ${st.paymentMethodLabel}` : ''}`;
}

/** Money on a method: a sale (debiting a balance) or a refund (crediting it). Returns the transaction id. */
export async function moveMoney(
  tx: Tx,
  opts: {
    orderId: string;
    kind: 'sale' | 'refund' | 'authorization' | 'void';
    amount: number;
    currency: string;
    method: PaymentMethodFacts | null;
    parentId?: string | null;
    now: Date;
  },
): Promise<string> {
  const { method, amount } = opts;
  if (method && hasBalance(method) && amount > 0) {
    if (opts.kind === 'sale' || opts.kind === 'authorization') {
      if (!(await debitBalance(tx, method.id, amount))) {
        throw notEligible(
          'insufficient_balance',
          `${method.label} no longer covers ${formatMoney(amount, opts.currency)}.`,
          POLICY.insufficientBalance,
        );
      }
    } else {
      await creditBalance(tx, method.id, amount);
    }
  }
  const id = newId('transaction', opts.now.getTime());
  await insertTransactions(tx, { id: opts.orderId, currency: opts.currency }, opts.now.toISOString(), [
    {
      id,
      paymentMethodId: method?.id ?? null,
      kind: opts.kind,
      status: 'success',
      amount,
      parentId: opts.parentId ?? null,
      gatewayRef: null,
    },
  ]);
  return id;
}

export async function applySettlement(tx: Tx, orderId: string, st: Settlement, now: Date): Promise<string | null> {
  if (st.kind === 'none' || !st.paymentMethodId) return null;
  const method = {
    id: st.paymentMethodId,
    kind: st.paymentMethodKind ?? 'card',
    label: st.paymentMethodLabel ?? st.paymentMethodId,
    balance: null,
    currency: null,
  };
  return moveMoney(tx, {
    orderId,
    kind: st.kind === 'charge' ? 'sale' : 'refund',
    amount: st.amount,
    currency: st.currency,
    method,
    now,
  });
}

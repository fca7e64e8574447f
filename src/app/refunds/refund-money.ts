/**
 * Where a refund's money goes, and how it is written: shared by refund_order and cancel_order.
 * To the original payment methods, each capture gets back at most what it captured; to a gift card or store
 * credit, the customer's balance grows (a store credit is created when the customer has none).
 */
import type { Tx } from '../../db/database.js';
import type { TransactionRecord } from '../../db/repo/orders.js';
import { insertRefund } from '../../db/repo/actions.js';
import { findCustomerById, lockCustomer, type PaymentMethodRecord } from '../../db/repo/customers.js';
import { creditBalance, insertStoreCredit } from '../../db/repo/payment-methods.js';
import type { TransactionFacts } from '../../domain/order-status.js';
import { captureBalances } from '../../domain/payments.js';
import { REFUND_POLICY, splitToCaptures, type RefundPart } from '../../domain/refund-rules.js';
import { invalid, notEligible } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { ActionOrder } from '../orders/action-order.js';
import type { RefundDestination, RefundDestinationChoice, RefundTarget } from './schemas.js';
import { requireCustomer } from '../../domain/order-customer.js';
import { MARKETPLACE_POLICY, marketplaceOf } from '../../domain/marketplace.js';

export interface MoneyPlan {
  destination: RefundDestination;
  to: RefundTarget[];
  /** Refund transactions to write against the original captures. */
  parts: RefundPart[];
  /** Balance credited (gift card / store credit); `create` when a new store credit is made. */
  credit: { paymentMethodId: string; create: boolean; amount: number } | null;
}

const BALANCE_KINDS = new Set(['gift_card', 'store_credit']);

export async function planMoney(
  tx: Tx,
  o: ActionOrder,
  amount: number,
  destination: RefundDestinationChoice,
  paymentMethodId: string | undefined,
  now: Date,
): Promise<MoneyPlan> {
  const market = marketplaceOf(o.record.channel);
  if (market) {
    // The marketplace took the payment and gives it back: no card or balance of the store's own is credited.
    if (destination !== 'original_payment' || paymentMethodId !== undefined) {
      throw notEligible(
        'paid_through_marketplace',
        `Order ${o.name} was paid through ${market.name}, which refunds it to what the customer paid with there; a refund to ${destination === 'original_payment' ? 'a chosen payment method' : destination.replace('_', ' ')} is not possible. Leave destination and paymentMethodId out.`,
        MARKETPLACE_POLICY.paid_through_marketplace,
      );
    }
    const parts = amount > 0 ? splitToCaptures(amount, captureBalances(o.record.transactions)) : [];
    return {
      destination: 'marketplace',
      to: [{ paymentMethodId: null, label: market.name, kind: 'marketplace', amount, balanceAfter: null }],
      parts,
      credit: null,
    };
  }
  if (destination === 'original_payment') {
    if (paymentMethodId !== undefined)
      throw invalid(
        'paymentMethodId',
        'is only for a refund to a gift card or store credit; the original payment methods are chosen from the order',
      );
    return originalPayment(o, amount, o.paymentMethods);
  }
  // A refund onto a balance locks the customer first, so two refunds to a new store credit cannot create two of them,
  // then reads the payment methods again, as they are under that lock.
  const customerId = requireCustomer(
    o.record,
    `a refund to ${destination === 'store_credit' ? 'store credit' : 'a gift card'}`,
  );
  await lockCustomer(tx, customerId);
  const methods = (await findCustomerById(tx, customerId))?.paymentMethods ?? [];
  return credit(o, amount, destination, paymentMethodId, methods, now);
}

function originalPayment(o: ActionOrder, amount: number, methods: readonly PaymentMethodRecord[]): MoneyPlan {
  const captures = captureBalances(o.record.transactions);
  const parts = amount > 0 ? splitToCaptures(amount, captures) : [];
  const balances = new Map<string, number>();
  const to = parts.map((p): RefundTarget => {
    const m = methods.find((x) => x.id === p.paymentMethodId);
    let balanceAfter: number | null = null;
    if (m && BALANCE_KINDS.has(m.kind)) {
      balanceAfter = (balances.get(m.id) ?? m.balance ?? 0) + p.amount;
      balances.set(m.id, balanceAfter);
    }
    return {
      paymentMethodId: p.paymentMethodId,
      label: m?.label ?? 'Original payment',
      kind: m?.kind ?? 'unknown',
      amount: p.amount,
      balanceAfter,
    };
  });
  return { destination: 'original_payment', to, parts, credit: null };
}

function credit(
  o: ActionOrder,
  amount: number,
  destination: 'store_credit' | 'gift_card',
  paymentMethodId: string | undefined,
  methods: readonly PaymentMethodRecord[],
  now: Date,
): MoneyPlan {
  const currency = o.record.currency;
  const fits = (m: PaymentMethodRecord) => m.kind === destination && (m.currency === null || m.currency === currency);
  const method = paymentMethodId !== undefined ? methods.find((m) => m.id === paymentMethodId) : methods.find(fits);
  if (paymentMethodId !== undefined) {
    if (!method || method.kind !== destination)
      throw invalid('paymentMethodId', `is not a ${destination.replace('_', ' ')} of this customer`);
    if (method.currency !== null && method.currency !== currency) {
      throw notEligible(
        'currency_mismatch',
        `${method.label} holds ${method.currency}; order ${o.name} is in ${currency}.`,
        REFUND_POLICY.currency_mismatch,
      );
    }
  }
  if (!method && destination === 'gift_card') {
    throw notEligible(
      'no_gift_card',
      `The customer has no gift card in ${currency}. Refund to the original payment method or to store credit instead.`,
      REFUND_POLICY.no_gift_card,
    );
  }
  const id = method?.id ?? newId('paymentMethod', now.getTime());
  return {
    destination,
    to: [
      {
        paymentMethodId: method?.id ?? null,
        label: method?.label ?? 'Store credit (new)',
        kind: destination,
        amount,
        balanceAfter: (method?.balance ?? 0) + amount,
      },
    ],
    parts: [],
    credit: amount > 0 ? { paymentMethodId: id, create: !method, amount } : null,
  };
}

/** The refund transactions a plan adds, as facts: to derive the statuses a preview shows. */
export function plannedTransactions(plan: MoneyPlan): TransactionFacts[] {
  const txs: TransactionFacts[] = plan.parts.map((p, i) => ({
    id: `planned_${i}`,
    kind: 'refund',
    status: 'success',
    amount: p.amount,
    parentId: p.parentId,
    expiresAt: null,
  }));
  if (plan.credit)
    txs.push({
      id: 'planned_credit',
      kind: 'refund',
      status: 'success',
      amount: plan.credit.amount,
      parentId: null,
      expiresAt: null,
    });
  return txs;
}

export interface RefundWrite {
  kind: 'refund' | 'cancel';
  returnId: string | null;
  amount: number;
  shippingAmount: number;
  reason: string;
  note: string | null;
  items: { lineId: string; quantity: number; amount: number }[];
  money: MoneyPlan;
}

/**
 * Writes the refund, its items, its payment transactions and any balance credited; gives the refund id and the
 * transactions as stored.
 */
export async function writeRefund(
  tx: Tx,
  o: ActionOrder,
  w: RefundWrite,
  now: Date,
): Promise<{ id: string; transactions: TransactionRecord[] }> {
  const at = now.toISOString();
  const id = newId('refund', now.getTime());
  const c = w.money.credit;
  if (c?.create) {
    const customerId = requireCustomer(o.record, 'a refund to store credit');
    await insertStoreCredit(tx, { id: c.paymentMethodId, customerId, currency: o.record.currency, at });
  }
  const txn = (amount: number, paymentMethodId: string | null, parentId: string | null) => ({
    id: newId('transaction', now.getTime()),
    paymentMethodId,
    amount,
    parentId,
  });
  const transactions = w.money.parts.map((p) => txn(p.amount, p.paymentMethodId, p.parentId));
  if (c) transactions.push(txn(c.amount, c.paymentMethodId, null));
  const written = await insertRefund(
    tx,
    {
      id,
      orderId: o.record.id,
      customerId: o.record.customerId,
      returnId: w.returnId,
      kind: w.kind,
      amount: w.amount,
      shippingAmount: w.shippingAmount,
      currency: o.record.currency,
      destination: w.money.destination,
      creditedPaymentMethodId: c?.paymentMethodId ?? null,
      reason: w.reason,
      note: w.note,
      createdAt: at,
    },
    w.items,
    transactions,
  );
  // Money back onto a balance: the credit chosen, or an original payment made from a gift card / store credit.
  const credits = [
    ...(c ? [{ id: c.paymentMethodId, amount: c.amount }] : []),
    ...w.money.to.flatMap((t) =>
      t.balanceAfter !== null && w.money.destination === 'original_payment' && t.paymentMethodId
        ? [{ id: t.paymentMethodId, amount: t.amount }]
        : [],
    ),
  ];
  for (const cr of credits) await creditBalance(tx, cr.id, cr.amount);
  return { id, transactions: written };
}

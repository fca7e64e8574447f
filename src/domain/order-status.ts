/**
 * Order statuses are derived from facts — transactions, packages, cancel/archive events — never
 * stored as flags. Labels are exactly those of the Shopify order rules (plus Authorized and Expired, as Shopify has them).
 */
import { sumMinor } from '../kernel/money.js';

export const ORDER_STATUSES = ['open', 'archived', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const FINANCIAL_STATUSES = [
  'paid',
  'pending',
  'partially_paid',
  'partially_refunded',
  'refunded',
  'voided',
  'authorized',
  'expired',
] as const;
export type FinancialStatus = (typeof FINANCIAL_STATUSES)[number];
export const FULFILLMENT_STATUSES = ['fulfilled', 'partially_fulfilled', 'unfulfilled'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];
export const SHIPMENT_STATUSES = [
  'label_created',
  'ready_for_pickup',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'failed',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
export const TRANSACTION_KINDS = ['authorization', 'capture', 'sale', 'refund', 'void'] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];
export const TRANSACTION_STATUSES = ['success', 'failure', 'pending'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  open: 'Open',
  archived: 'Archived',
  canceled: 'Canceled',
};
export const FINANCIAL_STATUS_LABEL: Record<FinancialStatus, string> = {
  paid: 'Paid',
  pending: 'Unpaid',
  partially_paid: 'Partially paid',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
  voided: 'Voided',
  authorized: 'Authorized',
  expired: 'Expired',
};
export const FULFILLMENT_STATUS_LABEL: Record<FulfillmentStatus, string> = {
  fulfilled: 'Fulfilled',
  partially_fulfilled: 'Partially fulfilled',
  unfulfilled: 'Unfulfilled',
};

export interface LineFacts {
  id: string;
  quantity: number;
  /** Minor units per unit. */
  unitPrice: number;
  /** Minor units for the whole line. */
  discount: number;
  /** False for digital access products: they are fulfilled by their access codes, not by packages. */
  requiresShipping: boolean;
  /** Access codes currently active for the line (digital access products). */
  activeCodes: number;
}

export interface TransactionFacts {
  id: string;
  kind: TransactionKind;
  status: TransactionStatus;
  amount: number;
  parentId: string | null;
  expiresAt: string | null;
}

export interface PackageFacts {
  id: string;
  status: ShipmentStatus;
  trackingUrl: string | null;
  estimatedDeliveryAt: string | null;
  items: { lineId: string; quantity: number }[];
}

export interface OrderFacts {
  canceledAt: string | null;
  archivedAt: string | null;
  shippingFee: number;
  discount: number;
  tax: number;
  lines: LineFacts[];
  transactions: TransactionFacts[];
  packages: PackageFacts[];
}

export interface OrderTotals {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
  /** Authorized and not yet captured, voided or expired. */
  authorized: number;
  captured: number;
  refunded: number;
  /** captured − refunded: what may still be refunded. */
  refundable: number;
  /** total − captured, never below zero: what the customer still owes. */
  outstanding: number;
}

export interface LineProgress {
  lineId: string;
  /** Units in packages that have not failed (digital lines: all units once a code is active). */
  fulfilled: number;
  delivered: number;
  trackingUrls: string[];
}

export interface DerivedStatus {
  orderStatus: OrderStatus;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  totals: OrderTotals;
  lines: LineProgress[];
  /**
   * True once any unit has been delivered — a package delivered, or a digital access line whose codes are issued
   * (access granted is delivery): such an order can no longer be canceled (the Shopify order rules).
   */
  anyDelivered: boolean;
}

export function lineTotal(l: Pick<LineFacts, 'quantity' | 'unitPrice' | 'discount'>): number {
  return l.quantity * l.unitPrice - l.discount;
}

function successful<T extends TransactionFacts>(txs: readonly T[], kind: TransactionKind): T[] {
  return txs.filter((t) => t.kind === kind && t.status === 'success');
}

/**
 * Money moved to another payment method of the customer is a refund on the old method and a sale on the new one
 * whose `parentId` is that refund. The pair is neither money paid nor money given back: the ids of both.
 */
export function movedPayments(txs: readonly TransactionFacts[]): Set<string> {
  const refunds = new Map(successful(txs, 'refund').map((r) => [r.id, r]));
  const moved = new Set<string>();
  for (const sale of successful(txs, 'sale')) {
    const refund = sale.parentId ? refunds.get(sale.parentId) : undefined;
    if (refund && refund.amount === sale.amount) moved.add(refund.id).add(sale.id);
  }
  return moved;
}

export function deriveTotals(f: OrderFacts, now: Date): OrderTotals {
  const subtotal = sumMinor(f.lines.map(lineTotal));
  const total = subtotal - f.discount + f.shippingFee + f.tax;
  const moved = movedPayments(f.transactions);
  const counted = (kind: TransactionKind) =>
    successful(f.transactions, kind)
      .filter((t) => !moved.has(t.id))
      .map((t) => t.amount);
  const captured = sumMinor([...counted('capture'), ...counted('sale')]);
  const refunded = sumMinor(counted('refund'));
  const settled = new Set(
    f.transactions
      .filter((t) => t.status === 'success' && (t.kind === 'capture' || t.kind === 'void'))
      .map((t) => t.parentId),
  );
  const authorized = sumMinor(
    successful(f.transactions, 'authorization')
      .filter((a) => !settled.has(a.id) && !(a.expiresAt && Date.parse(a.expiresAt) <= now.getTime()))
      .map((a) => a.amount),
  );
  return {
    subtotal,
    discount: f.discount,
    shipping: f.shippingFee,
    tax: f.tax,
    total,
    authorized,
    captured,
    refunded,
    refundable: captured - refunded,
    outstanding: Math.max(0, total - captured),
  };
}

export function deriveFinancialStatus(f: OrderFacts, totals: OrderTotals, now: Date): FinancialStatus {
  if (totals.captured === 0) {
    // An open authorization wins over a void: a payment moved to another method voids the old one.
    if (totals.authorized > 0) return 'authorized';
    // The Shopify order rules: "Voided — when unpaid orders are canceled", whether or not there was an authorization to void.
    if (f.canceledAt || successful(f.transactions, 'void').length > 0) return 'voided';
    const auths = successful(f.transactions, 'authorization');
    if (auths.length > 0 && auths.every((a) => a.expiresAt && Date.parse(a.expiresAt) <= now.getTime()))
      return 'expired';
    return 'pending';
  }
  if (totals.refunded >= totals.captured) return 'refunded';
  if (totals.refunded > 0) return 'partially_refunded';
  return totals.captured >= totals.total ? 'paid' : 'partially_paid';
}

export function deriveLineProgress(f: OrderFacts): LineProgress[] {
  return f.lines.map((line) => {
    if (!line.requiresShipping) {
      const done = line.activeCodes > 0 ? line.quantity : 0;
      return { lineId: line.id, fulfilled: done, delivered: done, trackingUrls: [] };
    }
    let fulfilled = 0;
    let delivered = 0;
    const trackingUrls: string[] = [];
    for (const p of f.packages) {
      const qty = sumMinor(p.items.filter((i) => i.lineId === line.id).map((i) => i.quantity));
      if (qty === 0 || p.status === 'failed') continue;
      fulfilled += qty;
      if (p.status === 'delivered') delivered += qty;
      if (p.trackingUrl && !trackingUrls.includes(p.trackingUrl)) trackingUrls.push(p.trackingUrl);
    }
    return {
      lineId: line.id,
      fulfilled: Math.min(fulfilled, line.quantity),
      delivered: Math.min(delivered, line.quantity),
      trackingUrls,
    };
  });
}

export function deriveFulfillmentStatus(f: OrderFacts, progress: LineProgress[]): FulfillmentStatus {
  const ordered = sumMinor(f.lines.map((l) => l.quantity));
  const fulfilled = sumMinor(progress.map((p) => p.fulfilled));
  if (fulfilled === 0) return 'unfulfilled';
  return fulfilled >= ordered ? 'fulfilled' : 'partially_fulfilled';
}

export function deriveOrderStatus(f: Pick<OrderFacts, 'canceledAt' | 'archivedAt'>): OrderStatus {
  if (f.canceledAt) return 'canceled';
  if (f.archivedAt) return 'archived';
  return 'open';
}

export function deriveStatus(f: OrderFacts, now: Date): DerivedStatus {
  const totals = deriveTotals(f, now);
  const lines = deriveLineProgress(f);
  return {
    orderStatus: deriveOrderStatus(f),
    financialStatus: deriveFinancialStatus(f, totals, now),
    fulfillmentStatus: deriveFulfillmentStatus(f, lines),
    totals,
    lines,
    anyDelivered: f.packages.some((p) => p.status === 'delivered') || lines.some((p) => p.delivered > 0),
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "24 November 2026", in UTC, independent of the server's locale. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const utcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

/**
 * The per-package label the Shopify order rules show: Ready for pickup, Arriving on <date>, Out for delivery, Delivered. A package
 * still in transit after the day it was expected is not "Arriving on" a day that has passed: it says it is late.
 */
export function shipmentLabel(p: Pick<PackageFacts, 'status' | 'estimatedDeliveryAt'>, now: Date): string {
  switch (p.status) {
    case 'label_created':
      return 'Label created';
    case 'ready_for_pickup':
      return 'Ready for pickup';
    case 'in_transit': {
      if (!p.estimatedDeliveryAt) return 'In transit';
      const eta = formatDate(p.estimatedDeliveryAt);
      return utcDay(new Date(p.estimatedDeliveryAt)) < utcDay(now)
        ? `In transit, expected ${eta}`
        : `Arriving on ${eta}`;
    }
    case 'out_for_delivery':
      return 'Out for delivery';
    case 'delivered':
      return 'Delivered';
    case 'failed':
      return 'Delivery failed';
  }
}

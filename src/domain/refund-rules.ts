/**
 * Refund rules (the Handling Returns procedure and the Shopify order rules), pure. Amounts are integer minor units.
 * What a unit of a line is worth: the line total less its share of the order discount plus its share of
 * tax, split over the units by the largest-remainder method — so all units plus shipping add up to the order total.
 */
import { notEligible } from '../kernel/errors.js';
import { allocate, formatMoney, sumMinor } from '../kernel/money.js';
import { lineTotal, type OrderTotals } from './order-status.js';

/** Where an agent may send a refund's money. */
export const REFUND_DESTINATIONS = ['original_payment', 'store_credit', 'gift_card'] as const;
export type RefundDestinationChoice = (typeof REFUND_DESTINATIONS)[number];
/**
 * Where a refund's money went, as recorded: a choice above, or `marketplace` — a marketplace order's payment is the
 * marketplace's, which refunds it (src/domain/marketplace.ts).
 */
export const RECORDED_DESTINATIONS = [...REFUND_DESTINATIONS, 'marketplace'] as const;
export type RefundDestination = (typeof RECORDED_DESTINATIONS)[number];

/** A refund made by refund_order, or the refund part of cancel_order. */
export type RefundKind = 'refund' | 'cancel';

export const REFUND_POLICY = {
  order_unpaid:
    'Refunds are only for orders with captured payment (prepaid); an order with payment pending can only be canceled.',
  exceeds_refundable_amount: 'A refund never exceeds what was captured less what was already refunded.',
  return_required:
    'Delivered items that can be returned are refunded only once their return has been received at the centre; items with a no-return policy, and items not delivered, are refunded at once.',
  already_refunded: 'A unit is refunded only once.',
  exceeds_refundable_shipping:
    'Shipping is refunded at most up to the shipping fee charged, less shipping already refunded.',
  return_not_received: 'A return is refunded once its items have been received at the centre.',
  shipping_not_refundable: 'Shipping fees are not refunded on returns; only the item cost is refunded.',
  exceeds_items_value: 'A refund of items is at most their value (plus any shipping refunded with them).',
  currency_mismatch: 'A gift card or store credit is credited only in its own currency.',
  no_gift_card: 'A refund to a gift card goes to a gift card the customer already holds.',
} as const;

export interface PricedOrder {
  discount: number;
  tax: number;
  lines: { quantity: number; unitPrice: number; discount: number }[];
}

/** What the customer paid for each whole line, order discount and tax shared by line total. */
export function linePaidAmounts(order: PricedOrder): number[] {
  const totals = order.lines.map(lineTotal);
  const net = Math.max(0, sumMinor(totals) - order.discount + order.tax);
  return allocate(net, totals);
}

/** The value of `count` units of a line starting at unit `from` (units already refunded come first). */
export function unitsValue(linePaid: number, quantity: number, from: number, count: number): number {
  const units = allocate(
    linePaid,
    Array.from({ length: quantity }, () => 1),
  );
  return sumMinor(units.slice(from, from + count));
}

export interface RefundLineState {
  lineId: string;
  sku: string;
  quantity: number;
  delivered: number;
  /** False for a no-return policy. */
  returnable: boolean;
  /** Units refunded so far, by any refund. */
  refunded: number;
  /** Units refunded by refunds that were not the refund of a return. */
  refundedWithoutReturn: number;
  /** Units in returns that are requested, approved, picked up, received or refunded. */
  returnedOrRequested: number;
}

/**
 * Where a line's next units stand in its per-unit split (`unitsValue`): after the units refunded without a return and
 * those in returns (requested … refunded), in the order they were committed. A return is priced there when it is
 * requested and keeps that cost, so what it promised is what its refund pays, and all units add up to the line.
 */
export function nextUnitPosition(l: { refundedWithoutReturn: number; returnedOrRequested: number }): number {
  return l.refundedWithoutReturn + l.returnedOrRequested;
}

/** Units of a line that can be refunded now without a return: no-return items, and undelivered returnable ones. */
export function refundableWithoutReturn(l: RefundLineState): number {
  const left = l.quantity - l.refunded;
  if (!l.returnable) return left;
  return Math.max(0, Math.min(left, l.quantity - l.delivered - l.refundedWithoutReturn));
}

/** Checks a refund of `quantity` units of a line outside a return. */
export function checkItemRefund(l: RefundLineState, quantity: number, path: string): void {
  const left = l.quantity - l.refunded;
  if (quantity > left) {
    throw notEligible(
      'already_refunded',
      `${l.refunded} of ${l.quantity} × ${l.sku} are already refunded; at most ${left} more can be.`,
      REFUND_POLICY.already_refunded,
      { itemId: l.lineId, path, refundedQuantity: l.refunded, refundableQuantity: left },
    );
  }
  const now = refundableWithoutReturn(l);
  if (quantity > now) {
    throw notEligible(
      'return_required',
      `${l.sku}: ${quantity} unit(s) requested but only ${now} can be refunded without a return; delivered units must be returned first. ` +
        'Start a return (initiate_return); once it is received, refund it with refund_order and its returnId.',
      REFUND_POLICY.return_required,
      { itemId: l.lineId, path, refundableWithoutReturn: now },
    );
  }
}

/** Checks a refund of a return's units of a line. */
export function checkReturnUnitsRefund(l: RefundLineState, quantity: number): void {
  const left = l.quantity - l.refunded;
  if (quantity > left) {
    throw notEligible(
      'already_refunded',
      `${l.refunded} of ${l.quantity} × ${l.sku} are already refunded; this return cannot refund ${quantity} more.`,
      REFUND_POLICY.already_refunded,
      {
        itemId: l.lineId,
        refundedQuantity: l.refunded,
      },
    );
  }
}

export function checkCaptured(totals: Pick<OrderTotals, 'captured'>, orderName: string): void {
  if (totals.captured === 0) {
    throw notEligible(
      'order_unpaid',
      `Order ${orderName} has no captured payment, so there is nothing to refund. It can only be canceled (cancel_order).`,
      REFUND_POLICY.order_unpaid,
    );
  }
}

export function checkRefundAmount(
  amount: number,
  totals: Pick<OrderTotals, 'captured' | 'refunded' | 'refundable'>,
  currency: string,
): void {
  if (amount > totals.refundable) {
    throw notEligible(
      'exceeds_refundable_amount',
      `A refund of ${formatMoney(amount, currency)} is more than the ${formatMoney(totals.refundable, currency)} still refundable ` +
        `(${formatMoney(totals.captured, currency)} captured, ${formatMoney(totals.refunded, currency)} already refunded).`,
      REFUND_POLICY.exceeds_refundable_amount,
      { amount, refundable: totals.refundable, captured: totals.captured, refunded: totals.refunded },
    );
  }
}

export function checkShippingRefund(
  amount: number,
  shippingFee: number,
  shippingRefunded: number,
  currency: string,
): void {
  const left = shippingFee - shippingRefunded;
  if (amount > left) {
    throw notEligible(
      'exceeds_refundable_shipping',
      `Shipping of ${formatMoney(amount, currency)} cannot be refunded: ${formatMoney(left, currency)} of the ${formatMoney(shippingFee, currency)} shipping fee is left to refund.`,
      REFUND_POLICY.exceeds_refundable_shipping,
      { shippingAmount: amount, refundableShipping: left },
    );
  }
}

export interface CaptureBalance {
  transactionId: string;
  paymentMethodId: string | null;
  /** Captured by this transaction less what was refunded against it. */
  remaining: number;
}

export interface RefundPart {
  parentId: string;
  paymentMethodId: string | null;
  amount: number;
}

/**
 * Splits a refund to the original payment methods: each capture gets back at most what it captured less
 * what it already got back, newest capture first (a later top-up is undone before the first payment).
 */
export function splitToCaptures(amount: number, captures: readonly CaptureBalance[]): RefundPart[] {
  const parts: RefundPart[] = [];
  let left = amount;
  for (const c of [...captures].reverse()) {
    if (left === 0) break;
    const take = Math.min(left, c.remaining);
    if (take > 0) parts.push({ parentId: c.transactionId, paymentMethodId: c.paymentMethodId, amount: take });
    left -= take;
  }
  if (left > 0) {
    throw notEligible(
      'exceeds_refundable_amount',
      `The original payment methods can take back only ${amount - left} of ${amount}.`,
      REFUND_POLICY.exceeds_refundable_amount,
      { amount, refundable: amount - left },
    );
  }
  return parts;
}

/**
 * Return rules (the Handling Returns procedure), pure: returnable items only, within the return window counted from order
 * placement, only delivered units, never more than delivered less what is already returned or requested.
 */
import { datedReturnWindow, type DatedReturnWindow, type ReturnWindow } from './return-window.js';
import { formatDate } from './order-status.js';

export const RETURN_REASONS = ['DAMAGED', 'DEFECTIVE', 'WRONG_ITEM', 'ORDERED_BY_MISTAKE', 'OTHER'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** What the customer must hear when a return starts (Handling Returns procedure, step 5). */
export const RETURN_DISCLOSURES = [
  'Shipping fees will not be refunded; only the item cost will be refunded.',
  'The return will be approved first; only then does the pickup of the item begin.',
] as const;

export const RETURN_POLICY = {
  order_canceled: 'A canceled order has nothing to return.',
  not_returnable:
    'Items with a no-return policy cannot be returned; the store may refund them without a return if the customer faces an issue.',
  return_window_expired:
    'Returns are possible only within the return window, counted from the day the order was placed.',
  not_delivered:
    'Only items whose package is DELIVERED can be returned; an item still in transit can be returned after it is delivered.',
  exceeds_returnable_quantity:
    'A return never covers more units than were delivered, less the units already returned or requested and the units exchanged.',
} as const;
export type ReturnRefusal = keyof typeof RETURN_POLICY;

export interface ReturnLineState {
  lineId: string;
  sku: string;
  title: string;
  quantity: number;
  delivered: number;
  returnable: boolean;
  /** Units in returns that are requested, approved, picked up, received or refunded. */
  returnedOrRequested: number;
  refundedWithoutReturn: number;
  /** Units in exchanges not canceled: they go back through the exchange, never through a return. */
  exchanged: number;
}

export function returnableQuantity(l: ReturnLineState): number {
  const taken = l.returnedOrRequested + l.exchanged;
  return Math.max(0, Math.min(l.delivered - taken, l.quantity - taken - l.refundedWithoutReturn));
}

export interface ItemEligibility {
  itemId: string;
  sku: string;
  title: string;
  eligible: boolean;
  /** Units that can be returned now. */
  returnableQuantity: number;
  deliveredQuantity: number;
  window: DatedReturnWindow;
  reason?: ReturnRefusal;
  message?: string;
  policy?: string;
}

/** Whether `requested` units (default: 1) of a line can be returned now, and if not, which rule says no. */
export function checkReturnEligibility(
  l: ReturnLineState,
  o: { name: string; placedAt: string; canceled: boolean; now: Date; window: ReturnWindow },
  requested = 1,
): ItemEligibility {
  const window = datedReturnWindow(o.window, o.placedAt, o.now);
  const returnable = returnableQuantity(l);
  const base = { itemId: l.lineId, sku: l.sku, title: l.title, deliveredQuantity: l.delivered, window };
  const refuse = (reason: ReturnRefusal, message: string): ItemEligibility => ({
    ...base,
    eligible: false,
    returnableQuantity: reason === 'exceeds_returnable_quantity' ? returnable : 0,
    reason,
    message,
    policy: RETURN_POLICY[reason],
  });
  if (o.canceled) return refuse('order_canceled', `Order ${o.name} is canceled; its items cannot be returned.`);
  if (!l.returnable)
    return refuse(
      'not_returnable',
      `${l.title} (${l.sku}) has a no-return policy and cannot be returned. It can be refunded without a return if the customer faces an issue.`,
    );
  if (!window.open) {
    return refuse(
      'return_window_expired',
      `The ${o.window.days}-day return window for ${l.title} (${l.sku}) ended on ${formatDate(window.deadline)}; it was counted from when order ${o.name} was placed.`,
    );
  }
  const inTransit = Math.max(0, l.quantity - l.delivered - l.refundedWithoutReturn);
  if (returnable === 0 && (l.delivered === 0 || inTransit > 0)) {
    return refuse(
      'not_delivered',
      `${l.title} (${l.sku}) has not been delivered yet; it can be returned after it is delivered.`,
    );
  }
  if (requested > returnable) {
    const transit = inTransit > 0 ? ` ${inTransit} more can be returned after they are delivered.` : '';
    return refuse(
      'exceeds_returnable_quantity',
      `Only ${returnable} of ${l.title} (${l.sku}) can be returned: ${l.delivered} delivered, ${l.returnedOrRequested} already returned or requested${l.exchanged > 0 ? `, ${l.exchanged} exchanged` : ''}.${transit}`,
    );
  }
  return { ...base, eligible: true, returnableQuantity: returnable };
}

/**
 * Return rules (seed 002), pure: returnable items only, within the return window counted from order
 * placement, only delivered units, never more than delivered less what is already returned or requested.
 */
import { addDays } from '../kernel/clock.js';
import { formatDate } from './order-status.js';

export const RETURN_REASONS = ['DAMAGED', 'DEFECTIVE', 'WRONG_ITEM', 'ORDERED_BY_MISTAKE', 'OTHER'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

export const DEFAULT_RETURN_WINDOW_DAYS = 30;

/** What the customer must hear when a return starts (seed 002, step 5). */
export const RETURN_DISCLOSURES = [
  'Shipping fees will not be refunded; only the item cost will be refunded.',
  'The return will be approved first; only then does the pickup of the item begin.',
] as const;

export const RETURN_POLICY = {
  order_canceled: 'A canceled order has nothing to return.',
  not_returnable: 'Items with a no-return policy cannot be returned; the store may refund them without a return if the customer faces an issue.',
  return_window_expired: 'Returns are possible only within the return window, counted from the day the order was placed.',
  not_delivered: 'Only items whose package is DELIVERED can be returned; an item still in transit can be returned after it is delivered.',
  exceeds_returnable_quantity: 'A return never covers more units than were delivered, less the units already returned or requested.',
} as const;
export type ReturnRefusal = keyof typeof RETURN_POLICY;

export type PolicyScope = 'category' | 'channel' | 'store';
export interface ReturnPolicyRule {
  scope: PolicyScope;
  /** The category or channel name; `*` for the store default. */
  key: string;
  windowDays: number;
}

export interface ReturnWindow {
  days: number;
  /** Which rule set it: the product itself, its category, the order's channel, the store, or the built-in default. */
  source: 'product' | PolicyScope | 'default';
}

/** Most specific wins: product > category > channel > store default > 30 days. */
export function resolveReturnWindow(
  item: { productWindowDays: number | null; category: string | null; channel: string },
  rules: readonly ReturnPolicyRule[],
): ReturnWindow {
  if (item.productWindowDays !== null) return { days: item.productWindowDays, source: 'product' };
  const find = (scope: PolicyScope, key: string | null) => (key === null ? undefined : rules.find((r) => r.scope === scope && r.key === key));
  const rule = find('category', item.category) ?? find('channel', item.channel) ?? find('store', '*');
  return rule ? { days: rule.windowDays, source: rule.scope } : { days: DEFAULT_RETURN_WINDOW_DAYS, source: 'default' };
}

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
}

export function returnableQuantity(l: ReturnLineState): number {
  return Math.max(0, Math.min(l.delivered - l.returnedOrRequested, l.quantity - l.returnedOrRequested - l.refundedWithoutReturn));
}

export interface ItemEligibility {
  itemId: string;
  sku: string;
  title: string;
  eligible: boolean;
  /** Units that can be returned now. */
  returnableQuantity: number;
  deliveredQuantity: number;
  window: { days: number; source: ReturnWindow['source']; deadline: string };
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
  const deadline = addDays(new Date(o.placedAt), o.window.days);
  const returnable = returnableQuantity(l);
  const base = {
    itemId: l.lineId, sku: l.sku, title: l.title, deliveredQuantity: l.delivered,
    window: { days: o.window.days, source: o.window.source, deadline: deadline.toISOString() },
  };
  const refuse = (reason: ReturnRefusal, message: string): ItemEligibility => ({
    ...base, eligible: false, returnableQuantity: reason === 'exceeds_returnable_quantity' ? returnable : 0, reason, message, policy: RETURN_POLICY[reason],
  });
  if (o.canceled) return refuse('order_canceled', `Order ${o.name} is canceled; its items cannot be returned.`);
  if (!l.returnable) return refuse('not_returnable', `${l.title} (${l.sku}) has a no-return policy and cannot be returned. It can be refunded without a return if the customer faces an issue.`);
  if (o.now.getTime() > deadline.getTime()) {
    return refuse('return_window_expired', `The ${o.window.days}-day return window for ${l.title} (${l.sku}) ended on ${formatDate(deadline.toISOString())}; it was counted from when order ${o.name} was placed.`);
  }
  const inTransit = Math.max(0, l.quantity - l.delivered - l.refundedWithoutReturn);
  if (returnable === 0 && (l.delivered === 0 || inTransit > 0)) {
    return refuse('not_delivered', `${l.title} (${l.sku}) has not been delivered yet; it can be returned after it is delivered.`);
  }
  if (requested > returnable) {
    const transit = inTransit > 0 ? ` ${inTransit} more can be returned after they are delivered.` : '';
    return refuse(
      'exceeds_returnable_quantity',
      `Only ${returnable} of ${l.title} (${l.sku}) can be returned: ${l.delivered} delivered, ${l.returnedOrRequested} already returned or requested.${transit}`,
    );
  }
  return { ...base, eligible: true, returnableQuantity: returnable };
}

/** The exchange lifecycle: requested → completed | canceled, and nothing else. */
import { conflict, notEligible } from '../kernel/errors.js';
import { formatDate } from './order-status.js';
import type { DatedReturnWindow } from './return-window.js';

export type ExchangeStatus = 'requested' | 'completed' | 'canceled';

export const EXCHANGE_TRANSITIONS: Readonly<Record<ExchangeStatus, readonly ExchangeStatus[]>> = {
  requested: ['completed', 'canceled'],
  completed: [],
  canceled: [],
};

export function canTransition(from: ExchangeStatus, to: ExchangeStatus): boolean {
  return EXCHANGE_TRANSITIONS[from].includes(to);
}

export function assertTransition(exchangeId: string, from: ExchangeStatus, to: ExchangeStatus): void {
  if (!canTransition(from, to)) {
    throw conflict(`Exchange ${exchangeId} is ${from}; it cannot become ${to}.`, {
      reason: 'invalid_transition',
      from,
      to,
    });
  }
}

/**
 * Units of a line that can still be exchanged: delivered, less units returned or in a return request, less
 * units already in exchanges that are not canceled, and never a unit refunded without a return (the customer
 * has its money back). A unit is returned, exchanged or refunded, never two of them — as for returns.
 */
export function exchangeableQuantity(l: {
  quantity: number;
  delivered: number;
  returnedOrRequested: number;
  exchanged: number;
  refundedWithoutReturn: number;
}): number {
  const taken = l.returnedOrRequested + l.exchanged;
  return Math.max(0, Math.min(l.delivered - taken, l.quantity - taken - l.refundedWithoutReturn));
}

/**
 * An exchange follows the Handling Returns procedure's eligibility: the exchanged unit goes back like a returned one,
 * so an item with a no-return policy cannot be exchanged, and an exchange (a replacement too) starts only within the
 * item's return window, counted from when the order was placed. No policy of the store says otherwise.
 */
export const EXCHANGE_POLICY = {
  not_returnable:
    'Items with a no-return policy cannot be exchanged or replaced either: an exchange follows the same eligibility as a return.',
  return_window_expired:
    'An exchange or replacement follows the return window: it is possible only within the return window, counted from the day the order was placed.',
} as const;

/** The reasons that make a same-variant exchange a replacement: the unit arrived damaged or does not work. */
export const REPLACEMENT_REASONS = ['DAMAGED', 'DEFECTIVE'] as const;
export type ReplacementReason = (typeof REPLACEMENT_REASONS)[number];

/** Refuses an item that could not be returned now for its return policy or window (order_canceled is checked before). */
export function assertExchangeAllowed(
  l: { sku: string; title: string; returnable: boolean },
  o: { name: string; window: DatedReturnWindow },
): void {
  if (!l.returnable) {
    throw notEligible(
      'not_returnable',
      `${l.title} (${l.sku}) has a no-return policy, so it cannot be exchanged or replaced either.`,
      EXCHANGE_POLICY.not_returnable,
    );
  }
  if (!o.window.open) {
    throw notEligible(
      'return_window_expired',
      `The ${o.window.days}-day return window for ${l.title} (${l.sku}) ended on ${formatDate(o.window.deadline)}; it was counted from when order ${o.name} was placed, and an exchange follows it.`,
      EXCHANGE_POLICY.return_window_expired,
      { window: o.window },
    );
  }
}

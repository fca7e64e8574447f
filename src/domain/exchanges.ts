/** The exchange lifecycle: requested → completed | canceled, and nothing else. */
import { conflict } from '../kernel/errors.js';

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
    throw conflict(`Exchange ${exchangeId} is ${from}; it cannot become ${to}.`, { reason: 'invalid_transition', from, to });
  }
}

/**
 * Units of a line that can still be exchanged: delivered, less units returned or in a return request, less
 * units already in exchanges that are not canceled, and never a unit refunded without a return (the customer
 * has its money back). A unit is returned, exchanged or refunded, never two of them — as for returns.
 */
export function exchangeableQuantity(l: { quantity: number; delivered: number; returnedOrRequested: number; exchanged: number; refundedWithoutReturn: number }): number {
  const taken = l.returnedOrRequested + l.exchanged;
  return Math.max(0, Math.min(l.delivered - taken, l.quantity - taken - l.refundedWithoutReturn));
}

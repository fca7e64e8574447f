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
 * units already in exchanges that are not canceled. A unit is either returned or exchanged, never both.
 */
export function exchangeableQuantity(l: { delivered: number; returnedOrRequested: number; exchanged: number }): number {
  return Math.max(0, l.delivered - l.returnedOrRequested - l.exchanged);
}

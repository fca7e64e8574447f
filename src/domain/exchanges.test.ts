import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, EXCHANGE_TRANSITIONS, exchangeableQuantity, type ExchangeStatus } from './exchanges.js';

describe('exchange lifecycle', () => {
  it('moves requested → completed or canceled, and nowhere from a final status', () => {
    expect(canTransition('requested', 'completed')).toBe(true);
    expect(canTransition('requested', 'canceled')).toBe(true);
    for (const from of ['completed', 'canceled'] as ExchangeStatus[]) {
      for (const to of Object.keys(EXCHANGE_TRANSITIONS) as ExchangeStatus[]) expect(canTransition(from, to)).toBe(false);
    }
    expect(() => assertTransition('exc_1', 'completed', 'canceled')).toThrow(/cannot become canceled/);
  });

  it('never lets more be exchanged than delivered minus already exchanged', () => {
    expect(exchangeableQuantity({ delivered: 3, returnedOrRequested: 0, exchanged: 1 })).toBe(2);
    expect(exchangeableQuantity({ delivered: 1, returnedOrRequested: 0, exchanged: 2 })).toBe(0);
    expect(exchangeableQuantity({ delivered: 3, returnedOrRequested: 2, exchanged: 0 })).toBe(1);
    expect(exchangeableQuantity({ delivered: 3, returnedOrRequested: 1, exchanged: 1 })).toBe(1);
    expect(exchangeableQuantity({ delivered: 2, returnedOrRequested: 2, exchanged: 1 })).toBe(0);
  });
});

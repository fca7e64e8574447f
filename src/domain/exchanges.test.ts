import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  EXCHANGE_TRANSITIONS,
  exchangeableQuantity,
  type ExchangeStatus,
} from './exchanges.js';

describe('exchange lifecycle', () => {
  it('moves requested → completed or canceled, and nowhere from a final status', () => {
    expect(canTransition('requested', 'completed')).toBe(true);
    expect(canTransition('requested', 'canceled')).toBe(true);
    for (const from of ['completed', 'canceled'] as ExchangeStatus[]) {
      for (const to of Object.keys(EXCHANGE_TRANSITIONS) as ExchangeStatus[])
        expect(canTransition(from, to)).toBe(false);
    }
    expect(() => assertTransition('exc_1', 'completed', 'canceled')).toThrow(/cannot become canceled/);
  });

  it('never lets more be exchanged than delivered minus already exchanged', () => {
    const l = (delivered: number, returnedOrRequested: number, exchanged: number, refundedWithoutReturn = 0) =>
      exchangeableQuantity({ quantity: 3, delivered, returnedOrRequested, exchanged, refundedWithoutReturn });
    expect(l(3, 0, 1)).toBe(2);
    expect(l(1, 0, 2)).toBe(0);
    expect(l(3, 2, 0)).toBe(1);
    expect(l(3, 1, 1)).toBe(1);
    expect(l(2, 2, 1)).toBe(0);
  });

  it('never exchanges a unit refunded without a return: the customer has its money back', () => {
    expect(
      exchangeableQuantity({
        quantity: 3,
        delivered: 3,
        returnedOrRequested: 0,
        exchanged: 0,
        refundedWithoutReturn: 1,
      }),
    ).toBe(2);
    expect(
      exchangeableQuantity({
        quantity: 1,
        delivered: 1,
        returnedOrRequested: 0,
        exchanged: 0,
        refundedWithoutReturn: 1,
      }),
    ).toBe(0);
    expect(
      exchangeableQuantity({
        quantity: 3,
        delivered: 1,
        returnedOrRequested: 0,
        exchanged: 0,
        refundedWithoutReturn: 2,
      }),
    ).toBe(1);
  });
});

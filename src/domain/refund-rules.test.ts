import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../kernel/errors.js';
import { sumMinor } from '../kernel/money.js';
import {
  checkCaptured,
  checkItemRefund,
  checkRefundAmount,
  checkShippingRefund,
  linePaidAmounts,
  refundableWithoutReturn,
  splitToCaptures,
  unitsValue,
  type RefundLineState,
} from './refund-rules.js';

function reasonOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof DomainError ? String(e.details.reason) : 'not a DomainError';
  }
}

const line = (over: Partial<RefundLineState> = {}): RefundLineState => ({
  lineId: 'li_1',
  sku: 'SKU',
  quantity: 3,
  delivered: 0,
  returnable: true,
  refunded: 0,
  refundedWithoutReturn: 0,
  returnedOrRequested: 0,
  ...over,
});

describe('refund rules', () => {
  it('shares the order discount and tax over lines so all units add up to the goods total', () => {
    const paid = linePaidAmounts({
      discount: 300,
      tax: 100,
      lines: [
        { quantity: 2, unitPrice: 1000, discount: 0 },
        { quantity: 1, unitPrice: 999, discount: 99 },
      ],
    });
    expect(sumMinor(paid)).toBe(2000 + 900 - 300 + 100);
    expect(unitsValue(paid[0]!, 2, 0, 1) + unitsValue(paid[0]!, 2, 1, 1)).toBe(paid[0]);
  });

  it('unit values always add up to the line, whatever the split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 20 }), (paid, q) => {
        let total = 0;
        for (let i = 0; i < q; i++) total += unitsValue(paid, q, i, 1);
        expect(total).toBe(paid);
      }),
    );
  });

  it('refuses an unpaid order with order_unpaid', () => {
    expect(reasonOf(() => checkCaptured({ captured: 0 }, '#1001'))).toBe('order_unpaid');
    expect(reasonOf(() => checkCaptured({ captured: 1 }, '#1001'))).toBeUndefined();
  });

  it('never refunds more than captured less refunded', () => {
    expect(reasonOf(() => checkRefundAmount(501, { captured: 1000, refunded: 500, refundable: 500 }, 'USD'))).toBe(
      'exceeds_refundable_amount',
    );
    expect(
      reasonOf(() => checkRefundAmount(500, { captured: 1000, refunded: 500, refundable: 500 }, 'USD')),
    ).toBeUndefined();
  });

  it('refunds no-return items at once, undelivered items at once, and delivered returnable items only through a return', () => {
    expect(refundableWithoutReturn(line({ returnable: false, delivered: 3 }))).toBe(3);
    expect(refundableWithoutReturn(line({ delivered: 1 }))).toBe(2);
    expect(reasonOf(() => checkItemRefund(line({ delivered: 1 }), 3, 'items.0'))).toBe('return_required');
    expect(reasonOf(() => checkItemRefund(line({ delivered: 1 }), 2, 'items.0'))).toBeUndefined();
  });

  it('never refunds a unit twice', () => {
    expect(reasonOf(() => checkItemRefund(line({ refunded: 2, refundedWithoutReturn: 2 }), 2, 'items.0'))).toBe(
      'already_refunded',
    );
    expect(
      reasonOf(() => checkItemRefund(line({ returnable: false, refunded: 3, refundedWithoutReturn: 3 }), 1, 'items.0')),
    ).toBe('already_refunded');
  });

  it('refunds shipping at most up to the fee less shipping already refunded', () => {
    expect(reasonOf(() => checkShippingRefund(600, 1000, 500, 'USD'))).toBe('exceeds_refundable_shipping');
    expect(reasonOf(() => checkShippingRefund(500, 1000, 500, 'USD'))).toBeUndefined();
  });

  it('gives each original payment back at most what it captured, newest first', () => {
    const parts = splitToCaptures(700, [
      { transactionId: 'a', paymentMethodId: 'pm_card', remaining: 1000 },
      { transactionId: 'b', paymentMethodId: 'pm_gift', remaining: 300 },
    ]);
    expect(parts).toEqual([
      { parentId: 'b', paymentMethodId: 'pm_gift', amount: 300 },
      { parentId: 'a', paymentMethodId: 'pm_card', amount: 400 },
    ]);
    expect(
      reasonOf(() => splitToCaptures(1301, [{ transactionId: 'a', paymentMethodId: null, remaining: 1300 }])),
    ).toBe('exceeds_refundable_amount');
  });
});

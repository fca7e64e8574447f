import { describe, expect, it } from 'vitest';
import { assertCanCharge, captureBalances, openAuthorizations } from './payments.js';
import type { TransactionFacts } from './order-status.js';

const t = (
  id: string,
  kind: TransactionFacts['kind'],
  amount: number,
  paymentMethodId: string | null,
  parentId: string | null = null,
) => ({ id, kind, status: 'success' as const, amount, parentId, expiresAt: null, paymentMethodId });

describe('payments', () => {
  it('a gift card must cover a charge; a card has no balance to check', () => {
    const gift = { id: 'pm_g', kind: 'gift_card', label: 'Gift card', balance: 1000, currency: 'USD' };
    expect(() => assertCanCharge(gift, 1000, 'USD')).not.toThrow();
    expect(() => assertCanCharge(gift, 1001, 'USD')).toThrow(/does not cover/);
    expect(() => assertCanCharge(gift, 10, 'EUR')).toThrow(/holds USD/);
    expect(() =>
      assertCanCharge({ id: 'pm_c', kind: 'card', label: 'Visa', balance: null, currency: null }, 10 ** 9, 'USD'),
    ).not.toThrow();
  });

  it('says what each capture still holds: refunds against it, then refunds of its method newest first', () => {
    const txs = [
      t('a', 'authorization', 3000, 'pm_card'),
      t('c', 'capture', 3000, null, 'a'),
      t('s', 'sale', 500, 'pm_gift'),
      t('r', 'refund', 500, 'pm_gift', 's'),
      t('s2', 'sale', 400, 'pm_card'),
      t('r2', 'refund', 1000, 'pm_card'),
    ];
    expect(captureBalances(txs)).toEqual([
      { transactionId: 'c', paymentMethodId: 'pm_card', remaining: 2400 },
      { transactionId: 's', paymentMethodId: 'pm_gift', remaining: 0 },
      { transactionId: 's2', paymentMethodId: 'pm_card', remaining: 0 },
    ]);
  });

  it('an authorization is open until captured, voided or expired', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    const txs = [
      t('a', 'authorization', 1, 'pm'),
      t('b', 'authorization', 1, 'pm'),
      t('v', 'void', 1, 'pm', 'b'),
      { ...t('x', 'authorization', 1, 'pm'), expiresAt: '2026-11-19T00:00:00Z' },
    ];
    expect(openAuthorizations(txs, now).map((a) => a.id)).toEqual(['a']);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDomainError } from '../kernel/errors.js';
import { CANCEL_REASONS } from './cancel-rules.js';
import { RETURN_REASONS } from './return-rules.js';
import {
  KOGAN_CANCEL_REASON,
  KOGAN_CANCEL_REASONS,
  KOGAN_REFUND_REASONS,
  KOGAN_RETURN_REFUND_REASON,
  koganCarrierCode,
  koganOrderAmounts,
  koganRefundReason,
  type KoganOrder,
} from './kogan.js';

describe("sopdesk's reasons on Kogan's lists", () => {
  it('maps every cancel and return reason to one of Kogan’s', () => {
    for (const r of CANCEL_REASONS) expect(KOGAN_CANCEL_REASONS).toContain(KOGAN_CANCEL_REASON[r]);
    for (const r of RETURN_REASONS) expect(KOGAN_REFUND_REASONS).toContain(KOGAN_RETURN_REFUND_REASON[r]);
    expect(KOGAN_CANCEL_REASON.customer).toBe('BuyerCanceled');
  });

  it('takes a refund’s reason from its return, else from its words, else Change of Mind', () => {
    expect(koganRefundReason('anything', 'DEFECTIVE')).toBe('Faulty Item');
    expect(koganRefundReason('Arrived damaged')).toBe('Damage In Transit');
    expect(koganRefundReason('Wrong size sent')).toBe('Wrong Goods');
    expect(koganRefundReason('Parcel lost, never received')).toBe('Return Sender');
    expect(koganRefundReason('faulty part')).toBe('Faulty Part');
    expect(koganRefundReason('Listing Error')).toBe('Listing Error');
    expect(koganRefundReason('Kogan marketplace refund')).toBe('Change of Mind');
  });
});

describe("a package's carrier on Kogan's carrier codes", () => {
  it('sends a known carrier name as its code, a code as it is, and anything else as written', () => {
    expect(koganCarrierCode('AusPost')).toBe('AUP');
    expect(koganCarrierCode(' Australia Post ')).toBe('AUP');
    expect(koganCarrierCode('StarTrack')).toBe('ST');
    expect(koganCarrierCode('Couriers-Please')).toBe('CP');
    expect(koganCarrierCode('aup')).toBe('AUP');
    expect(koganCarrierCode('Pigeon Post')).toBe('Pigeon Post');
  });
});

describe("a Kogan order's money in sopdesk's order model", () => {
  // Two lines worth 5000 and 2000 (7000), shipping 1000.
  const order = (
    money: Partial<Pick<KoganOrder, 'total' | 'shipping' | 'orderDiscount' | 'shippingDiscount'>>,
  ): Parameters<typeof koganOrderAmounts>[0] => ({
    ref: 'ESG-1',
    currency: 'AUD',
    total: 8000,
    shipping: 1000,
    orderDiscount: 0,
    shippingDiscount: 0,
    items: [
      { id: '1', sku: 'LAMP', quantity: 2, unitPrice: 2500 },
      { id: '2', sku: 'MUG', quantity: 1, unitPrice: 2000 },
    ],
    ...money,
  });
  const lines = 7000;

  it('takes TotalPrice as what the buyer paid: the order discount on the items, the shipping discount off the fee', () => {
    const a = koganOrderAmounts(order({ total: 7000, orderDiscount: 600, shippingDiscount: 400 }));
    expect(a).toEqual({ shippingFee: 600, discount: 600, tax: 0, paid: 7000, totalPrice: 'after_discounts' });
    expect(lines - a.discount + a.shippingFee + a.tax).toBe(a.paid);
  });

  it('takes a TotalPrice of exactly the lines plus shipping, with discounts, as the price before them', () => {
    const a = koganOrderAmounts(order({ total: 8000, orderDiscount: 600, shippingDiscount: 400 }));
    expect(a).toEqual({ shippingFee: 600, discount: 600, tax: 0, paid: 7000, totalPrice: 'before_discounts' });
  });

  it('keeps an order without discounts as it was: what is paid above the parts is tax, the total is what was paid', () => {
    expect(koganOrderAmounts(order({}))).toEqual({
      shippingFee: 1000,
      discount: 0,
      tax: 0,
      paid: 8000,
      totalPrice: 'after_discounts',
    });
    expect(koganOrderAmounts(order({ total: 8100 }))).toMatchObject({ tax: 100, discount: 0, paid: 8100 });
    // Paid less than the lines and shipping come to: the rest is a discount Kogan did not name, not money owed.
    expect(koganOrderAmounts(order({ total: 7900 }))).toMatchObject({ tax: 0, discount: 100, paid: 7900 });
  });

  it('takes a shipping discount above the shipping price off the items', () => {
    expect(koganOrderAmounts(order({ total: 6500, shippingDiscount: 1500 }))).toMatchObject({
      shippingFee: 0,
      discount: 500,
      paid: 6500,
    });
  });

  it('refuses an order whose discounts leave less than nothing for its items', () => {
    expect(() => koganOrderAmounts(order({ total: 500, orderDiscount: 7500 }))).toThrow(
      /Kogan order ESG-1 does not add up/,
    );
    expect(() => koganOrderAmounts(order({ total: 900 }))).toThrow(/does not add up/);
  });

  it('always splits what was paid into lines − discount + shipping fee + tax, none below 0, refunds ≤ TotalPrice', () => {
    const cents = fc.integer({ min: 0, max: 200_000 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 5 }), unitPrice: cents }), {
          minLength: 1,
          maxLength: 4,
        }),
        cents,
        cents,
        cents,
        fc.integer({ min: -5_000, max: 5_000 }),
        fc.boolean(),
        (items, shipping, orderDiscount, shippingDiscount, extra, before) => {
          const value = items.reduce((s, i) => s + i.quantity * i.unitPrice, 0);
          // TotalPrice as either reading writes it, give or take an amount Kogan does not explain.
          const total = Math.max(0, value + shipping - (before ? 0 : orderDiscount + shippingDiscount) + extra);
          const o = {
            ...order({ total, shipping, orderDiscount, shippingDiscount }),
            items: items.map((i, n) => ({ id: String(n), sku: `S${n}`, ...i })),
          };
          let a: ReturnType<typeof koganOrderAmounts>;
          try {
            a = koganOrderAmounts(o);
          } catch (e) {
            expect(isDomainError(e) && e.code === 'invalid_argument').toBe(true);
            return;
          }
          expect(value - a.discount + a.shippingFee + a.tax).toBe(a.paid);
          for (const v of [a.discount, a.shippingFee, a.tax, a.paid])
            expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
          expect(a.discount).toBeLessThanOrEqual(value);
          expect(a.discount).toBeGreaterThanOrEqual(orderDiscount);
          expect(a.shippingFee).toBe(Math.max(0, shipping - shippingDiscount));
          expect(a.paid).toBeLessThanOrEqual(total);
          if (orderDiscount + shippingDiscount === 0) expect(a.paid).toBe(total);
          // Either reading, written exactly: the buyer paid the lines and shipping less the discounts.
          if (extra === 0 && value + shipping >= orderDiscount + shippingDiscount)
            expect(a.paid).toBe(value + shipping - orderDiscount - shippingDiscount);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * A Kogan order as sopdesk's ingest input: its discounts become the order's discount and a lower shipping fee, and its
 * sale is what the buyer paid, so the order's total (lines − discount + shipping + tax) is that payment.
 */
import { describe, expect, it } from 'vitest';
import type { KoganOrder } from '../../domain/kogan.js';
import { koganOrderInput } from './import-orders.js';

const order: KoganOrder = {
  ref: 'ESG-70000001',
  status: 'ReleasedForShipment',
  placedAt: '2026-11-18T01:02:03.000Z',
  currency: 'AUD',
  total: 7000,
  shipping: 1000,
  orderDiscount: 600,
  shippingDiscount: 400,
  buyer: { email: 'ava@example.com', firstName: 'Ava', lastName: 'Buyer', phone: null },
  shippingAddress: null,
  items: [
    { id: '1', sku: 'LAMP', quantity: 2, unitPrice: 2500 },
    { id: '2', sku: 'MUG', quantity: 1, unitPrice: 2000 },
  ],
};

describe('a Kogan order as ingest input', () => {
  it('keeps Kogan’s unit prices, puts the discounts on the order and the shipping fee, and records the payment', () => {
    const input = koganOrderInput(order, 'cus_0000000000000000000000000a');
    expect(input.lines.map((l) => ({ sku: l.sku, unitPrice: l.unitPrice, discount: l.discount }))).toEqual([
      { sku: 'LAMP', unitPrice: 2500, discount: 0 },
      { sku: 'MUG', unitPrice: 2000, discount: 0 },
    ]);
    expect(input).toMatchObject({ discount: 600, shippingFee: 600, tax: 0 });
    expect(input.transactions).toEqual([
      expect.objectContaining({ kind: 'sale', amount: 7000, gatewayRef: 'kogan:ESG-70000001' }),
    ]);
  });

  it('records the same order when Kogan’s TotalPrice is the price before the discounts', () => {
    const input = koganOrderInput({ ...order, total: 8000 }, 'cus_0000000000000000000000000a');
    expect(input).toMatchObject({ discount: 600, shippingFee: 600, tax: 0 });
    expect(input.transactions.map((t) => t.amount)).toEqual([7000]);
  });
});

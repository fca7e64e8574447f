/** Records shaped as the API answers them, for the component tests. */
import type { Order, Tool } from './api/types';

type Line = Order['lines'][number];

/** An order line with nothing shipped: a physical, returnable item. */
export function aLine(over: Partial<Line> & Pick<Line, 'id' | 'sku' | 'title'>): Line {
  return {
    position: 0,
    variantId: null,
    productId: null,
    productKind: 'physical',
    quantity: 1,
    unitPrice: 1500,
    discount: 0,
    returnable: true,
    returnWindowDays: null,
    category: null,
    requiresShipping: true,
    activeCodes: 0,
    total: 1500,
    fulfilledQuantity: 0,
    deliveredQuantity: 0,
    trackingUrls: [],
    packageIds: [],
    ...over,
  };
}

export function anOrder(over: Partial<Order> = {}): Order {
  return {
    id: 'ord_1',
    number: 1001,
    name: '#1001',
    customerId: 'cus_1',
    channel: 'web',
    test: false,
    externalRef: null,
    currency: 'USD',
    placedAt: '2026-11-20T09:00:00.000Z',
    shippingAddress: null,
    canceledAt: null,
    note: null,
    tags: [],
    cancelReason: null,
    archivedAt: null,
    transactions: [],
    status: {
      order: 'open',
      orderLabel: 'Open',
      financial: 'paid',
      financialLabel: 'Paid',
      fulfillment: 'unfulfilled',
      fulfillmentLabel: 'Unfulfilled',
    },
    totals: {
      subtotal: 4500,
      discount: 0,
      shipping: 500,
      tax: 0,
      total: 5000,
      authorized: 0,
      captured: 5000,
      refunded: 0,
      refundable: 5000,
      outstanding: 0,
    },
    lines: [
      aLine({
        id: 'li_lamp',
        sku: 'LAMP-BLK',
        productId: 'prod_lamp',
        variantId: 'var_lamp_blk',
        title: 'Desk lamp — Black',
        quantity: 2,
        total: 3000,
      }),
      aLine({
        id: 'li_case',
        sku: 'CASE-CLR',
        productId: 'prod_case',
        variantId: 'var_case_clr',
        title: 'Phone case — Clear',
        position: 1,
      }),
    ],
    packages: [],
    ...over,
  };
}

/** refund_order's input as GET /v1/tools publishes it (the fields the form reads). */
export const REFUND_TOOL: Tool = {
  name: 'refund_order',
  title: 'Refund an order',
  description: 'Refunds money on a prepaid order, e.g. to the original payment method. Two ways: items, or a return.',
  hints: { readOnly: false, destructive: true, idempotent: true },
  outputSchema: {},
  inputSchema: {
    type: 'object',
    required: ['orderId', 'reason'],
    properties: {
      orderId: { type: 'string' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['itemId', 'quantity'],
          properties: { itemId: { type: 'string' }, quantity: { type: 'integer' } },
        },
      },
      amount: { type: 'integer', description: "Refund less than the items' value, in minor units" },
      reason: { type: 'string', description: 'Why the refund is made' },
      destination: { type: 'string', enum: ['original_payment', 'store_credit', 'gift_card'] },
      dryRun: { type: 'boolean' },
    },
  },
};

/** A tool as GET /v1/tools lists it, with only an order id to fill in. */
export function aTool(name: string): Tool {
  return {
    name,
    title: name,
    description: '',
    hints: { readOnly: false, destructive: false, idempotent: true },
    inputSchema: { type: 'object', properties: { orderId: { type: 'string' } } },
    outputSchema: {},
  };
}

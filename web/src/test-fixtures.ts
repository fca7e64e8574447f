/** Records shaped as the API answers them, for the component tests. */
import type { Order, Tool } from './api/types';

export function anOrder(over: Partial<Order> = {}): Order {
  return {
    id: 'ord_1', name: '#1001', customerId: 'cus_1', channel: 'web', test: false, externalRef: null, currency: 'USD', placedAt: '2026-11-20T09:00:00.000Z',
    status: { order: 'open', orderLabel: 'Open', financial: 'paid', financialLabel: 'Paid', fulfillment: 'unfulfilled', fulfillmentLabel: 'Unfulfilled' },
    totals: { subtotal: 4500, discount: 0, shipping: 500, tax: 0, total: 5000, captured: 5000, refunded: 0, refundable: 5000, outstanding: 0 },
    lines: [
      { id: 'li_lamp', sku: 'LAMP-BLK', productId: 'prod_lamp', variantId: 'var_lamp_blk', title: 'Desk lamp — Black', quantity: 2, unitPrice: 1500, total: 3000, returnable: true, fulfilledQuantity: 0, deliveredQuantity: 0, trackingUrls: [] },
      { id: 'li_case', sku: 'CASE-CLR', productId: 'prod_case', variantId: 'var_case_clr', title: 'Phone case — Clear', quantity: 1, unitPrice: 1500, total: 1500, returnable: true, fulfilledQuantity: 0, deliveredQuantity: 0, trackingUrls: [] },
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
  inputSchema: {
    type: 'object',
    required: ['orderId', 'reason'],
    properties: {
      orderId: { type: 'string' },
      items: { type: 'array', items: { type: 'object', required: ['itemId', 'quantity'], properties: { itemId: { type: 'string' }, quantity: { type: 'integer' } } } },
      amount: { type: 'integer', description: 'Refund less than the items\' value, in minor units' },
      reason: { type: 'string', description: 'Why the refund is made' },
      destination: { type: 'string', enum: ['original_payment', 'store_credit', 'gift_card'] },
      dryRun: { type: 'boolean' },
    },
  },
};

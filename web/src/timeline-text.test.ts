import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/kernel/money.js';
import type { TimelineEvent } from './api/types';
import { anOrder } from './test-fixtures';
import { describeEvent } from './timeline-text';

const event = (type: string, data: Record<string, unknown>, orderId: string | null = 'ord_1'): TimelineEvent => ({
  id: 'evt_1',
  type,
  orderId,
  actor: { kind: 'agent', id: 'Ana' },
  data,
  occurredAt: '2026-11-20T09:00:00.000Z',
});

describe('a timeline event as a sentence', () => {
  it('tells a Kogan refusal as work for a person, and an accepted push', () => {
    const order = anOrder({ currency: 'AUD' });
    const failed = describeEvent(
      event('kogan.push_failed', {
        action: 'refund',
        refundId: 'rfd_1',
        message: 'Line ESG-1-1 has not shipped',
        gaveUp: false,
        confirmationWithheld: true,
      }),
      order,
    );
    expect(failed).toContain('Kogan did not take the refund: Line ESG-1-1 has not shipped');
    expect(failed).toContain('do it in the Kogan seller portal');
    expect(failed).toContain('the customer was not sent the confirmation');
    expect(
      describeEvent(event('kogan.pushed', { action: 'dispatch', refundId: null, koganOrderRef: 'ESG-1' }), order),
    ).toBe('Kogan took the dispatch of ESG-1');
  });

  it('tells an action waiting for approval, and its decision, in words', () => {
    const order = anOrder({ currency: 'USD' });
    const asked = describeEvent(
      event('approval.requested', {
        tool: 'refund_order',
        amount: 18000,
        currency: 'USD',
        reasons: ['refund_over_limit'],
      }),
      order,
    );
    expect(asked).toBe('Refund order of $180.00 on order #1001 waits for approval (refund over limit)');
    expect(describeEvent(event('approval.declined', { tool: 'refund_order', reason: 'final sale' }), order)).toBe(
      'Declined refund order on order #1001: final sale',
    );
  });

  it("writes money as the server does, in the currency's own decimals (KWD has three)", () => {
    const order = anOrder({ currency: 'KWD' });
    const text = describeEvent(
      event('refund.issued', {
        amount: 1250,
        currency: 'KWD',
        destination: 'original_payment',
        items: [{ lineId: 'li_lamp', quantity: 1 }],
      }),
      order,
    );
    expect(text).toBe('Refunded KWD 1.250 to the original payment method on order #1001: 1 × Desk lamp — Black');
    expect(text).toContain(formatMoney(1250, 'KWD'));
  });

  it("names a cancel's refund, voided payment and restock in one sentence", () => {
    const text = describeEvent(
      event('order.canceled', {
        number: 1001,
        reason: 'CUSTOMER_CHANGED_MIND',
        refundAmount: 4500,
        refundDestination: 'store_credit',
        voidedAmount: 500,
        restocked: [{ quantity: 2 }, { quantity: 1 }],
      }),
      anOrder(),
    );
    expect(text).toBe(
      'Order #1001 canceled (reason: customer changed mind) — $45.00 refunded to store credit; payment of $5.00 voided; 3 units restocked',
    );
  });

  it('names a package by its tracking number and its move in words', () => {
    const order = anOrder({
      packages: [
        {
          id: 'pkg_1',
          carrier: 'AusPost',
          trackingNumber: 'AP123',
          trackingUrl: null,
          statusLabel: 'Out for delivery',
          status: 'out_for_delivery',
          estimatedDeliveryAt: null,
          deliveredAt: null,
          createdAt: '2026-11-21T09:00:00.000Z',
          updatedAt: '2026-11-22T09:00:00.000Z',
          items: [],
        },
      ],
    });
    expect(
      describeEvent(
        event('shipment.status_changed', { packageId: 'pkg_1', from: 'in_transit', to: 'out_for_delivery' }),
        order,
      ),
    ).toBe('Package AP123: in transit → out for delivery');
    expect(
      describeEvent(
        event('shipment.status_changed', { packageId: 'pkg_9', from: 'in_transit', to: 'delivered' }),
        order,
      ),
    ).toBe('A package on order #1001: in transit → delivered');
  });

  it("says an exchange's price difference as charged or refunded", () => {
    const items = [{ quantity: 1, fromSku: 'HOOD-S', toSku: 'HOOD-M' }];
    expect(describeEvent(event('exchange.requested', { items, priceDifference: 500 }), anOrder())).toBe(
      'Exchange requested on order #1001: 1 × HOOD-S → HOOD-M; $5.00 charged',
    );
    expect(describeEvent(event('exchange.requested', { items, priceDifference: -500 }), anOrder())).toBe(
      'Exchange requested on order #1001: 1 × HOOD-S → HOOD-M; $5.00 refunded',
    );
  });

  it('shows an amount without a currency as a plain number, and an unknown event by its type', () => {
    expect(describeEvent(event('payment.recorded', { kind: 'capture', amount: 1999 }, null), undefined)).toBe(
      'Payment of 1999 captured',
    );
    expect(describeEvent(event('kogan.order_pushed', {}), anOrder())).toBe('kogan.order_pushed');
  });

  it('names who paused or resumed the AI agent on a conversation', () => {
    expect(
      describeEvent(event('conversation.ai_paused', { conversationId: 'cnv_1', by: 'Ana' }, null), undefined),
    ).toBe('AI agent paused on the conversation by Ana');
    expect(
      describeEvent(event('conversation.ai_resumed', { conversationId: 'cnv_1', by: null }, null), undefined),
    ).toBe('AI agent resumed on the conversation');
  });
});

describe('conversation tags on the timeline', () => {
  const d = { conversationId: 'cnv_1', changed: ['tags'], linkedOrders: [], tags: ['returns', 'vip'] };
  it('says which tags were added and removed', () => {
    expect(
      describeEvent(
        event('conversation.updated', { ...d, tagsAdded: ['vip'], tagsRemoved: ['urgent'] }, null),
        undefined,
      ),
    ).toBe('Conversation updated: tagged vip; untagged urgent');
    expect(
      describeEvent(event('conversation.updated', { ...d, tagsAdded: [], tagsRemoved: [] }, null), undefined),
    ).toBe('Conversation updated: tags unchanged');
  });
  it('an event recorded before the added and removed tags were kept says the tags', () => {
    expect(describeEvent(event('conversation.updated', d, null), undefined)).toBe(
      'Conversation updated: tags: returns, vip',
    );
  });
});

describe('customer tags a channel changed, on the timeline', () => {
  it('says which tags were added and removed beside the other details', () => {
    const d = { changed: ['name', 'tags'], tagsAdded: ['vip'], tagsRemoved: ['wholesale'] };
    expect(describeEvent(event('customer.updated', d, null), undefined)).toBe(
      'Customer details changed: name, tagged vip; untagged wholesale',
    );
  });
});

describe('linked orders on the timeline', () => {
  it('says how many orders a conversation linked and unlinked', () => {
    const d = { conversationId: 'cnv_1', changed: ['linkOrders', 'unlinkOrders'], linkedOrders: ['ord_1'] };
    expect(
      describeEvent(event('conversation.updated', { ...d, unlinkedOrders: ['ord_2', 'ord_3'] }, null), undefined),
    ).toBe('Conversation updated: linked orders (1 order); unlinked 2 orders');
  });
});

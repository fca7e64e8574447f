import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ReturnsQueue } from './ReturnsQueue';
import { fakeApi, renderWithQueries } from './test-support';

const requested = {
  id: 'ret_1',
  trackingId: 'RT-AAAA',
  orderId: 'ord_1',
  orderName: '#1001',
  customerId: 'cus_1',
  status: 'requested',
  statusLabel: 'Requested, awaiting approval',
  reason: 'WRONG_ITEM',
  note: null,
  currency: 'USD',
  items: [{ itemId: 'li_1', sku: 'LAMP', title: 'Desk lamp — Black', quantity: 1, itemCost: 1500 }],
  itemCost: 1500,
  itemCostFormatted: '$15.00',
  refundAmount: 1500,
  refundAmountFormatted: '$15.00',
  refund: null,
  requestedAt: '2026-11-21T09:00:00.000Z',
  approvedAt: null,
  pickedUpAt: null,
  receivedAt: null,
  refundedAt: null,
  declinedAt: null,
  canceledAt: null,
  closeReason: null,
  carrier: null,
  trackingNumber: null,
  nextSteps: ['approved', 'declined', 'canceled'],
  disclosures: [],
};

describe('the returns waiting for a decision', () => {
  it('lists the requested returns with their order and next steps, and the other states on demand', async () => {
    const sent = fakeApi({
      'GET /v1/returns': (s) => ({ body: { returns: s.path.includes('status=requested') ? [requested] : [] } }),
    });
    renderWithQueries(<ReturnsQueue me={{ name: 'Ada', role: 'agent' }} />);
    const list = await screen.findByRole('list', { name: 'Waiting for a decision' });
    expect(list.textContent).toContain('RT-AAAA · order #1001');
    expect(list.textContent).toContain('1 × Desk lamp — Black · $15.00 · Wrong item');
    expect(screen.getByRole('button', { name: 'Approve — return RT-AAAA' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Decline — return RT-AAAA' })).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Received, to refund' }));
    expect(await screen.findByText('No received return is waiting for its refund.')).toBeTruthy();
    expect(sent.map((s) => s.path)).toEqual([
      '/v1/returns?status=requested&limit=100',
      '/v1/returns?status=received&limit=100',
    ]);
  });
});

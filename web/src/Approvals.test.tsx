import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Approvals } from './Approvals';
import { fakeApi, renderWithQueries } from './test-support';

const approval = {
  id: 'apr_01',
  tool: 'refund_order',
  arguments: { orderId: '#1001' },
  idempotencyKey: 'k1',
  preview: { amount: 18000, currency: 'USD' },
  reasons: ['refund_over_limit'],
  actor: { kind: 'ai_agent', id: 'assistant' },
  role: 'ai_agent',
  scopeCustomerId: null,
  customerId: 'cus_01',
  orderId: 'ord_01',
  amount: 18000,
  currency: 'USD',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
  result: null,
  createdAt: '2026-11-20T10:00:00.000Z',
};
const limits = (actorKind: string, refundMaxAmount: number | null) => ({
  actorKind,
  refundMaxAmount,
  refundCurrency: refundMaxAmount === null ? null : 'USD',
  refundsPerCustomerPerDay: actorKind === 'ai_agent' ? 2 : null,
  approvalTools: [],
  updatedAt: '2026-11-20T10:00:00.000Z',
  updatedBy: 'default',
});
const policy = {
  actors: [limits('ai_agent', 10000), limits('agent', 50000), limits('admin', null)],
  reasons: { refund_over_limit: 'The refund is above the largest refund this kind of actor may make alone.' },
};

describe('the Approvals page', () => {
  it('shows a pending request with its reason and preview; Decline needs a reason and sends it', async () => {
    const sent = fakeApi({
      'GET /v1/approvals': { body: { approvals: [approval] } },
      'GET /v1/approval-policy': { body: policy },
      'POST /v1/approvals/apr_01/decline': { body: { ...approval, status: 'declined' } },
    });
    renderWithQueries(<Approvals me={{ name: 'Alex', role: 'agent' }} />);
    expect(await screen.findByText('Refund order of $180.00')).toBeTruthy();
    expect(await screen.findByText(/above the largest refund/)).toBeTruthy();
    const decline = screen.getByRole('button', { name: 'Decline Refund order of $180.00' }) as HTMLButtonElement;
    expect(decline.disabled).toBe(true);
    fireEvent.change(screen.getByPlaceholderText('told to the customer'), { target: { value: 'final sale' } });
    fireEvent.click(decline);
    await waitFor(() => expect(sent.some((s) => s.path === '/v1/approvals/apr_01/decline')).toBe(true));
    expect(sent.find((s) => s.path === '/v1/approvals/apr_01/decline')!.body).toEqual({ reason: 'final sale' });
    expect(await screen.findByText(/declined; the customer is told why/)).toBeTruthy();
  });

  it('lets an admin set a limit in the currency’s decimals, sent as integer minor units', async () => {
    const sent = fakeApi({
      'GET /v1/approvals': { body: { approvals: [] } },
      'GET /v1/approval-policy': { body: policy },
      'PUT /v1/approval-policy': { body: policy },
    });
    renderWithQueries(<Approvals me={{ name: 'Root', role: 'admin' }} />);
    const form = await screen.findByRole('form', { name: 'Limits of AI agent' });
    const amount = form.querySelector('input') as HTMLInputElement;
    expect(amount.value).toBe('100.00');
    fireEvent.change(amount, { target: { value: '150.50' } });
    fireEvent.submit(form);
    await waitFor(() => expect(sent.some((s) => s.method === 'PUT')).toBe(true));
    expect(sent.find((s) => s.method === 'PUT')!.body).toEqual({
      ai_agent: { refundMaxAmount: 15050, refundCurrency: 'USD', refundsPerCustomerPerDay: 2, approvalTools: [] },
    });
  });
});

import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { OrderActionsView, ReturnView, Tool } from './api/types';
import { OrderActions } from './OrderActions';
import { anOrder, aTool as tool, REFUND_TOOL } from './test-fixtures';
import { fakeApi, renderWithQueries } from './test-support';

const TOOLS = new Map<string, Tool>([
  ['cancel_order', tool('cancel_order')],
  ['refund_order', REFUND_TOOL],
  ['initiate_return', tool('initiate_return')],
  ['approve_return', tool('approve_return')],
]);
/** Each tool's full definition, which an action's form reads when it first opens (GET /v1/tools/{name}). */
const TOOL_READS = Object.fromEntries([...TOOLS].map(([name, t]) => [`GET /v1/tools/${name}`, { body: t }]));
const allowed = (action: string) => ({ action, allowed: true, reason: null, why: null, policy: null, next: null });
const refused = (action: string, reason: string, why: string, next: string | null = null) => ({
  action,
  allowed: false,
  reason,
  why,
  policy: 'A policy sentence.',
  next,
});
function actionsOf(over: Partial<OrderActionsView> = {}): OrderActionsView {
  return {
    orderId: 'ord_1',
    orderName: '#1001',
    actions: [
      refused('cancel', 'order_delivered', 'Items were delivered, so the order can no longer be canceled.', 'return'),
      allowed('refund'),
      allowed('return'),
      allowed('exchange'),
      allowed('swap'),
    ] as OrderActionsView['actions'],
    returns: [],
    exchanges: [],
    ...over,
  };
}
const aReturn = (over: Partial<ReturnView> = {}): ReturnView => ({
  id: 'ret_1',
  trackingId: 'RT-AAAA',
  orderId: 'ord_1',
  orderName: '#1001',
  customerId: 'cus_1',
  status: 'requested',
  statusLabel: 'Requested, awaiting approval',
  reason: 'DAMAGED',
  note: null,
  currency: 'USD',
  items: [{ itemId: 'li_lamp', sku: 'LAMP', title: 'Desk lamp — Black', quantity: 1, itemCost: 1500 }],
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
  ...over,
});
const button = (name: string | RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const description = (el: HTMLElement) =>
  el
    .getAttribute('aria-describedby')
    ?.split(' ')
    .map((id) => document.getElementById(id)?.textContent)
    .join(' ');

describe('the actions of an order, from one read of what the rules allow', () => {
  it('asks the rules once, with no dry run, and marks a refused action unavailable with its reason a click away', async () => {
    const sent = fakeApi({ ...TOOL_READS, 'GET /v1/orders/ord_1/actions': { body: actionsOf() } });
    const user = userEvent.setup();
    renderWithQueries(<OrderActions order={anOrder()} tools={TOOLS} onDone={() => {}} />);
    await waitFor(() => expect(button('Cancel').className).toBe('unavailable'));
    expect(button('Cancel').getAttribute('aria-disabled')).toBe('true');
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /v1/orders/ord_1/actions']);
    // No wall of refusals: the reason is the button's description (screen readers) and a tooltip on the keyboard
    // focus and on hover, not printed under the card.
    expect(description(button('Cancel'))).toBe(
      'Unavailable: Items were delivered, so the order can no longer be canceled.',
    );
    expect(button('Cancel').hasAttribute('title')).toBe(false);
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.queryByRole('tooltip')).toBeNull();
    expect(document.body.textContent).not.toMatch(/order_delivered|not allowed/i);
    act(() => button('Cancel').focus());
    expect((await screen.findByRole('tooltip')).textContent).toBe(
      'Items were delivered, so the order can no longer be canceled.',
    );
    act(() => button('Cancel').blur());
    await waitFor(() => expect(screen.queryByRole('tooltip')).toBeNull());

    await user.click(button('Cancel'));
    expect(screen.getByRole('note').textContent).toBe(
      'Cancel: Items were delivered, so the order can no longer be canceled. Start a return',
    );
    expect(screen.queryByRole('form')).toBeNull();
    // What to do instead opens that action's form (loaded on first use).
    await user.click(button('Start a return'));
    expect(await screen.findByRole('form', { name: 'Return order #1001' })).toBeTruthy();
    // The form is built from its tool's full definition, read when it opens (the buttons need only the short list).
    expect(sent.filter((s) => s.path.startsWith('/v1/tools/')).map((s) => s.path)).toEqual([
      '/v1/tools/initiate_return',
    ]);
    expect(button('Refund').getAttribute('aria-disabled')).toBeNull();
    // A tool the server does not have is unavailable, and says so.
    expect(description(button('Exchange'))).toBe('Unavailable: Not available on this server.');
    await user.hover(button('Exchange'));
    expect((await screen.findByRole('tooltip')).textContent).toBe('Not available on this server.');
  });

  it("shows the order's returns with their next steps, and approves one after its preview", async () => {
    let approved = false;
    const sent = fakeApi({
      ...TOOL_READS,
      'GET /v1/orders/ord_1/actions': () => ({
        body: actionsOf({
          returns: [
            approved
              ? aReturn({ status: 'approved', statusLabel: 'Approved, awaiting pickup', nextSteps: ['picked_up'] })
              : aReturn(),
          ],
        }),
      }),
      'POST /v1/tools/approve_return': (s) => {
        if ((s.body as { dryRun?: boolean }).dryRun)
          return { body: { dryRun: true, preview: { summary: 'Approve return RT-AAAA; pickup can begin.' } } };
        approved = true;
        return { body: { dryRun: false, result: {} } };
      },
    });
    const user = userEvent.setup();
    let refreshed = 0;
    renderWithQueries(<OrderActions order={anOrder()} tools={TOOLS} onDone={() => refreshed++} />);
    const returns = await screen.findByRole('region', { name: 'Returns and exchanges of order #1001' });
    expect(returns.textContent).toContain('RT-AAAA');
    expect(returns.textContent).toContain('Requested, awaiting approval');
    expect(returns.textContent).toContain('1 × Desk lamp — Black');
    await user.click(button('Approve — return RT-AAAA'));
    expect((await screen.findByRole('region', { name: 'Preview' })).textContent).toBe(
      'Approve return RT-AAAA; pickup can begin.',
    );
    await user.click(button('Approve the return'));
    await waitFor(() => expect(refreshed).toBe(1));
    const confirmed = sent.filter((s) => s.path === '/v1/tools/approve_return');
    expect(confirmed.map((s) => s.body)).toEqual([{ returnId: 'ret_1', dryRun: true }, { returnId: 'ret_1' }]);
    expect(confirmed[1]?.headers.get('idempotency-key')).toMatch(/.{8,}/);
  });

  it("says a return's refund above the limits was sent for approval, not done", async () => {
    fakeApi({
      ...TOOL_READS,
      'GET /v1/orders/ord_1/actions': () => ({
        body: actionsOf({
          returns: [aReturn({ status: 'received', statusLabel: 'Received, awaiting refund', nextSteps: ['refunded'] })],
        }),
      }),
      'POST /v1/tools/refund_order': (s) =>
        (s.body as { dryRun?: boolean }).dryRun
          ? { body: { dryRun: true, preview: { summary: 'Refund $20.00.', amount: 2000, currency: 'USD' } } }
          : {
              status: 202,
              body: { approvalRequired: { id: 'apr_1', status: 'pending', reasons: ['refund_over_limit'] } },
            },
    });
    const user = userEvent.setup();
    renderWithQueries(<OrderActions order={anOrder()} tools={TOOLS} onDone={() => {}} />);
    await user.click(await screen.findByRole('button', { name: /^Refund .* — return RT-AAAA$/ }));
    await screen.findByRole('region', { name: 'Preview' });
    const form = screen.getByRole('form', { name: /^Refund .* — return RT-AAAA$/ });
    await user.click(within(form).getByRole('button', { name: /^Refund / }));
    expect((await within(form).findByRole('status')).textContent).toBe(
      'Sent for approval: nothing has happened yet. A colleague approves or declines it under Approvals.',
    );
  });

  it('shows returns to a viewer without any button', async () => {
    fakeApi({ 'GET /v1/orders/ord_1/actions': { body: actionsOf({ returns: [aReturn()] }) } });
    renderWithQueries(<OrderActions order={anOrder()} tools={TOOLS} canAct={false} onDone={() => {}} />);
    expect((await screen.findByRole('region', { name: /Returns and exchanges/ })).textContent).toContain('RT-AAAA');
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });
});

import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Tool } from './api/types';
import { OrderActions } from './OrderActions';
import { anOrder, aTool as tool, REFUND_TOOL } from './test-fixtures';
import { fakeApi, renderWithQueries } from './test-support';

const TOOLS = new Map<string, Tool>([
  ['cancel_order', tool('cancel_order')],
  ['refund_order', REFUND_TOOL],
  ['initiate_return', tool('initiate_return')],
  ['check_return_eligibility', tool('check_return_eligibility')],
]);
const refused = (reason: string, message: string, policy?: string) => ({
  status: 422,
  body: { error: { code: 'not_eligible', message, reason, policy } },
});
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('the actions of an order, with the rules asked before anyone clicks', () => {
  it('disables Cancel on a delivered order with the rule the dry run names', async () => {
    const sent = fakeApi({
      'POST /v1/tools/cancel_order': refused(
        'order_delivered',
        'Order #1001 was delivered.',
        'Delivered orders are returned, not canceled.',
      ),
      'POST /v1/tools/check_return_eligibility': { body: { items: [{ itemId: 'li_lamp', eligible: true }] } },
    });
    renderWithQueries(<OrderActions order={anOrder()} tools={TOOLS} onDone={() => {}} />);
    await waitFor(() => expect(button('Cancel').disabled).toBe(true));
    expect(screen.getByText(/Cancel not allowed \(order_delivered\)/).parentElement?.textContent).toBe(
      'Cancel not allowed (order_delivered): Order #1001 was delivered. Policy: Delivered orders are returned, not canceled.',
    );
    expect(sent.find((s) => s.path === '/v1/tools/cancel_order')?.body).toEqual({
      orderId: 'ord_1',
      reason: 'other',
      dryRun: true,
    });
    expect(button('Return').disabled).toBe(false);
    expect(button('Refund').disabled).toBe(false);
    expect(button('Exchange').disabled).toBe(true);
    expect(screen.getByText('Not available on this server: Exchange, Swap product.')).toBeTruthy();
  });

  it("disables Refund on an unpaid order at once, and gives the rule's own words once the dry run answers", async () => {
    let answer: (v: unknown) => void = () => {};
    const dryRun = new Promise((r) => {
      answer = r;
    });
    fakeApi({
      'POST /v1/tools/cancel_order': { body: { dryRun: true, preview: {} } },
      'POST /v1/tools/refund_order': refused(
        'order_unpaid',
        'No payment was captured.',
        'Refunds need a captured payment.',
      ),
      'POST /v1/tools/check_return_eligibility': { body: { items: [] } },
    });
    // The refund dry run answers only when the test says so.
    const fetchApi = globalThis.fetch;
    vi.stubGlobal('fetch', async (request: Request) =>
      new URL(request.url).pathname === '/v1/tools/refund_order'
        ? (await dryRun, fetchApi(request))
        : fetchApi(request),
    );
    const unpaid = anOrder({
      status: {
        order: 'open',
        orderLabel: 'Open',
        financial: 'authorized',
        financialLabel: 'Authorized',
        fulfillment: 'unfulfilled',
        fulfillmentLabel: 'Unfulfilled',
      },
      totals: { ...anOrder().totals, captured: 0, refundable: 0 },
    });
    renderWithQueries(<OrderActions order={unpaid} tools={TOOLS} onDone={() => {}} />);
    expect(button('Refund').disabled).toBe(true);
    expect(screen.getByText(/Refund not allowed \(order_unpaid\)/).parentElement?.textContent).toContain(
      'Order #1001 is Authorized: nothing has been captured',
    );
    answer(null);
    await waitFor(() =>
      expect(screen.getByText(/Refund not allowed/).parentElement?.textContent).toBe(
        'Refund not allowed (order_unpaid): No payment was captured. Policy: Refunds need a captured payment.',
      ),
    );
    expect(button('Refund').disabled).toBe(true);
  });

  it("disables Return only when no item of the order can be returned, with the first item's rule", async () => {
    fakeApi({
      'POST /v1/tools/cancel_order': { body: { dryRun: true, preview: {} } },
      'POST /v1/tools/check_return_eligibility': {
        body: {
          items: [
            {
              itemId: 'li_lamp',
              eligible: false,
              reason: 'return_window_expired',
              message: 'The 30-day window ended on 20 Nov.',
              policy: 'Returns within 30 days of delivery.',
            },
            { itemId: 'li_case', eligible: false, reason: 'not_returnable', message: 'Final sale.' },
          ],
        },
      },
    });
    renderWithQueries(<OrderActions order={anOrder()} tools={TOOLS} onDone={() => {}} />);
    await waitFor(() => expect(button('Return').disabled).toBe(true));
    expect(screen.getByText(/Return not allowed/).parentElement?.textContent).toBe(
      'Return not allowed (return_window_expired): The 30-day window ended on 20 Nov. Policy: Returns within 30 days of delivery.',
    );
    expect(button('Cancel').disabled).toBe(false);
  });
});

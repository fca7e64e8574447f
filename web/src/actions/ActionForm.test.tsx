import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { anOrder, REFUND_TOOL } from '../test-fixtures';
import { fakeApi, renderWithQueries } from '../test-support';
import { ActionForm } from './ActionForm';
import type { Refusal } from './refusal';

const PREVIEW = {
  dryRun: true,
  preview: {
    summary: 'Refund $15.00 to Visa •••• 4242.',
    amount: 1500,
    shippingAmount: 0,
    currency: 'USD',
    to: [{ label: 'Visa •••• 4242', amount: 1500 }],
  },
};

function form(order = anOrder(), onRefused: (r: Refusal) => void = () => {}) {
  const onDone = vi.fn();
  renderWithQueries(
    <ActionForm
      tool={REFUND_TOOL}
      label="Refund"
      order={order}
      onRefused={onRefused}
      onClose={() => {}}
      onDone={onDone}
    />,
  );
  return { onDone, user: userEvent.setup() };
}

describe('an order action form built from the tool schema', () => {
  it('says a refund above the limits was sent for approval, never that it is done', async () => {
    fakeApi({
      'POST /v1/tools/refund_order': (s) =>
        (s.body as { dryRun?: boolean }).dryRun
          ? { body: PREVIEW }
          : {
              status: 202,
              body: { approvalRequired: { id: 'apr_1', status: 'pending', reasons: ['refund_currency'] } },
            },
    });
    const { user, onDone } = form();
    await user.type(screen.getByLabelText('Quantity of Desk lamp — Black'), '1');
    await user.type(screen.getByLabelText('Reason'), 'Arrived broken');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    await screen.findByRole('region', { name: 'Preview' });
    await user.click(screen.getByRole('button', { name: 'Confirm refund' }));
    expect(await screen.findByRole('status')).toHaveProperty(
      'textContent',
      'Sent for approval: nothing has happened yet. A colleague approves or declines it under Approvals.',
    );
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it('previews with dryRun, then confirms the same arguments once, under one Idempotency-Key', async () => {
    const sent = fakeApi({
      'POST /v1/tools/refund_order': (s) => ({
        body: (s.body as { dryRun?: boolean }).dryRun ? PREVIEW : { dryRun: false, result: { refundId: 'rfd_1' } },
      }),
    });
    const { user, onDone } = form();
    await user.type(screen.getByLabelText('Quantity of Desk lamp — Black'), '1');
    await user.type(screen.getByLabelText('Reason'), 'Arrived broken');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect((await screen.findByRole('region', { name: 'Preview' })).textContent).toContain(
      'Refund $15.00 to Visa •••• 4242.',
    );
    const args = { orderId: 'ord_1', items: [{ itemId: 'li_lamp', quantity: 1 }], reason: 'Arrived broken' };
    expect(sent[0]?.body).toEqual({ ...args, dryRun: true });
    expect(sent[0]?.headers.get('idempotency-key')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Confirm refund' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Refund done.');
    expect(sent[1]?.body).toEqual(args);
    expect(sent[1]?.headers.get('idempotency-key')).toMatch(/.{8,}/);
    expect(onDone).toHaveBeenCalledTimes(1);
    expect((screen.getByRole('button', { name: 'Confirm refund' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("takes an amount in major units and sends minor units by the currency's decimals (KWD has three)", async () => {
    const sent = fakeApi({ 'POST /v1/tools/refund_order': { body: PREVIEW } });
    const { user } = form(anOrder({ currency: 'KWD' }));
    await user.click(screen.getByText('More options'));
    await user.type(screen.getByLabelText('Amount (KWD)'), '1.250');
    await user.type(screen.getByLabelText('Reason'), 'Goodwill');
    // Submitted as the form: happy-dom checks the input's step (0.001) in floating point and would refuse 1.250.
    fireEvent.submit(screen.getByRole('form', { name: 'Refund order #1001' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toMatchObject({ amount: 1250 });
  });

  it('names an amount with more decimals than its currency has as an input problem, and sends nothing', async () => {
    const sent = fakeApi({ 'POST /v1/tools/refund_order': { body: PREVIEW } });
    const { user } = form();
    await user.click(screen.getByText('More options'));
    await user.type(screen.getByLabelText('Amount (USD)'), '1.255');
    await user.type(screen.getByLabelText('Reason'), 'Goodwill');
    // Past the browser's own check of the input's step, as a typed "1e-3" or a browser without it would be.
    fireEvent.submit(screen.getByRole('form', { name: 'Refund order #1001' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Input problem');
    expect(alert.textContent).toContain('Amount (USD): Enter an amount of USD with at most 2 decimals');
    expect(sent).toHaveLength(0);
  });

  it('names each field of a 400 in words: an item by its title', async () => {
    fakeApi({
      'POST /v1/tools/refund_order': {
        status: 400,
        body: {
          error: {
            code: 'invalid_argument',
            message: 'Bad input',
            fields: [{ path: 'items.0.quantity', message: 'at most 1 can be refunded' }],
          },
        },
      },
    });
    const { user } = form();
    await user.type(screen.getByLabelText('Quantity of Phone case — Clear'), '1');
    await user.type(screen.getByLabelText('Reason'), 'Arrived broken');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Quantity of Phone case — Clear: at most 1 can be refunded');
    expect(screen.getByLabelText('Quantity of Phone case — Clear').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Quantity of Desk lamp — Black').getAttribute('aria-invalid')).toBeNull();
  });

  it("shows a rule's refusal (422) in words, with its policy and no Confirm, and hands it to the panel", async () => {
    fakeApi({
      'POST /v1/tools/refund_order': {
        status: 422,
        body: {
          error: {
            code: 'not_eligible',
            message: 'Order #1001 has no captured payment. It can only be canceled (cancel_order).',
            reason: 'order_unpaid',
            policy: 'Only paid orders can be refunded.',
          },
        },
      },
    });
    const onRefused = vi.fn();
    const { user } = form(anOrder(), onRefused);
    await user.type(screen.getByLabelText('Reason'), 'Arrived broken');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    const alert = await screen.findByRole('alert');
    // No reason code, no tool name: what a person reads.
    expect(alert.textContent).toBe(
      'Not allowed: Order #1001 has no captured payment. It can only be canceled.Policy: Only paid orders can be refunded.',
    );
    expect(onRefused).toHaveBeenCalledWith(expect.objectContaining({ status: 422, reason: 'order_unpaid' }));
    expect(screen.queryByRole('button', { name: 'Confirm refund' })).toBeNull();
  });

  it('the swap form picks the correct product by name or SKU, and shows a refused SKU beside its field', async () => {
    const SWAP = {
      ...REFUND_TOOL,
      name: 'swap_purchased_product',
      title: 'Swap a purchased product',
      inputSchema: {
        type: 'object',
        properties: {
          orderId: { type: 'string' },
          itemId: { type: 'string' },
          newVariantId: { type: 'string' },
          newSku: { type: 'string' },
          reason: { type: 'string' },
        },
        required: ['orderId', 'itemId'],
      },
    };
    const sent = fakeApi({
      'POST /v1/tools/list_products': {
        body: {
          products: [
            {
              productId: 'prod_br3',
              title: 'SleepCues BoardReview 3.0',
              variants: [
                {
                  variantId: 'var_br3',
                  sku: 'SQBR-3.0',
                  title: 'Online course',
                  price: { amount: 50000, currency: 'USD' },
                  available: true,
                },
              ],
            },
          ],
        },
      },
      'POST /v1/tools/swap_purchased_product': {
        status: 400,
        body: {
          error: {
            code: 'invalid_argument',
            message: 'newSku: no variant has SKU SQBR-3.1',
            fields: [{ path: 'newSku', message: 'no variant has SKU SQBR-3.1' }],
          },
        },
      },
    });
    const user = userEvent.setup();
    renderWithQueries(
      <ActionForm
        tool={SWAP as never}
        label="Swap product"
        order={anOrder()}
        onRefused={() => {}}
        onClose={() => {}}
        onDone={() => {}}
      />,
    );
    const sku = screen.getByLabelText('Correct product (name or SKU)');
    expect(screen.queryByLabelText(/New variant/)).toBeNull();
    await user.type(sku, 'BoardRev');
    await waitFor(() =>
      expect(document.querySelector('datalist option')?.textContent).toBe(
        'SleepCues BoardReview 3.0 — Online course · $500.00',
      ),
    );
    expect(document.querySelector('datalist option')?.getAttribute('value')).toBe('SQBR-3.0');
    await user.clear(sku);
    await user.type(sku, 'SQBR-3.1');
    await user.selectOptions(screen.getByLabelText('Item'), 'li_lamp');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    await waitFor(() => expect(sku.getAttribute('aria-invalid')).toBe('true'));
    const error = document.getElementById(`${sku.id}-error`);
    expect(error?.textContent).toBe('no variant has SKU SQBR-3.1');
    expect(sku.getAttribute('aria-describedby')).toContain(`${sku.id}-error`);
    expect(sent.find((s) => s.path === '/v1/tools/swap_purchased_product')?.body).toMatchObject({
      itemId: 'li_lamp',
      newSku: 'SQBR-3.1',
      dryRun: true,
    });
  });
});

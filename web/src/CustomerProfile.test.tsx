import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProseCustomer } from './api/types';
import { CustomerProfile } from './CustomerProfile';
import { fakeApi, renderWithQueries } from './test-support';

const customer: ProseCustomer = {
  id: 'cus_1',
  name: 'Mohammed Rahman',
  phone: null,
  emails: [{ email: 'mohammed@example.com', isPrimary: true }],
  paymentMethods: [
    { id: 'pm_1', kind: 'card', label: 'Visa •••• 4242', balance: null, currency: null },
    { id: 'pm_2', kind: 'gift_card', label: 'Gift card •••• 7788', balance: 2500, currency: 'USD' },
    { id: 'pm_3', kind: 'store_credit', label: 'Store credit', balance: 1000, currency: 'USD' },
  ],
  addresses: [
    {
      id: 'adr_2',
      name: null,
      line1: '9 Side St',
      line2: null,
      city: 'Oakland',
      region: 'CA',
      zip: '94607',
      country: 'US',
      isDefault: false,
    },
    {
      id: 'adr_1',
      name: 'Mo',
      line1: '1 Main St',
      line2: null,
      city: 'Austin',
      region: 'TX',
      zip: '78701',
      country: 'US',
      isDefault: true,
    },
  ],
};
const profile = {
  note: 'Prefers email.',
  tags: ['vip'],
  orderCount: 7,
  lifetimeValue: [{ currency: 'USD', amount: 123450, orders: 6 }],
};

describe('the customer panel', () => {
  it('shows order count, lifetime value, tags, payment methods with balances and addresses, default first', async () => {
    fakeApi({ 'GET /v1/customers/cus_1/profile': { body: profile } });
    renderWithQueries(<CustomerProfile customer={customer} canEdit />);
    expect(await screen.findByText('$1,234.50')).toBeTruthy();
    expect(screen.getByText('7')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Customer tags' })).getByText('vip')).toBeTruthy();
    const methods = within(screen.getByRole('region', { name: 'Payment methods' })).getAllByRole('listitem');
    expect(methods.map((m) => m.textContent)).toEqual([
      'Visa •••• 4242',
      'Gift card •••• 7788 · balance $25.00',
      'Store credit · store credit $10.00',
    ]);
    const addresses = within(screen.getByRole('region', { name: 'Addresses' })).getAllByRole('listitem');
    expect(addresses[0]?.textContent).toBe('Mo, 1 Main St, Austin, TX, 78701, US (default)');
  });

  it('saves the note and tags with an idempotency key, and shows a refused field as invalid', async () => {
    let calls = 0;
    const sent = fakeApi({
      'GET /v1/customers/cus_1/profile': { body: profile },
      'PUT /v1/customers/cus_1/notes': () =>
        ++calls === 1
          ? {
              status: 400,
              body: {
                error: {
                  code: 'invalid_argument',
                  message: 'tags.1: letters, digits, spaces and - _ : .',
                  fields: [{ path: 'tags.1', message: 'letters, digits, spaces and - _ : .' }],
                },
              },
            }
          : { body: { ...profile, note: 'Prefers email. Wholesale.', tags: ['vip', 'wholesale'] } },
    });
    const user = userEvent.setup();
    renderWithQueries(<CustomerProfile customer={customer} canEdit />);
    const note = await screen.findByLabelText('Note for the team');
    await user.type(note, ' Wholesale.');
    const tags = screen.getByLabelText('Tags');
    await user.type(tags, ', <b>');
    await user.click(screen.getByRole('button', { name: 'Save note' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('tags.1'));
    expect(tags.getAttribute('aria-invalid')).toBe('true');
    const put = sent.find((s) => s.method === 'PUT')!;
    expect(put.body).toEqual({ note: 'Prefers email. Wholesale.', tags: ['vip', '<b>'] });
    expect(put.headers.get('idempotency-key')).toBeTruthy();
    await user.clear(tags);
    await user.type(tags, 'vip, wholesale');
    await user.click(screen.getByRole('button', { name: 'Save note' }));
    await waitFor(() =>
      expect(within(screen.getByRole('list', { name: 'Customer tags' })).getByText('wholesale')).toBeTruthy(),
    );
  });
});

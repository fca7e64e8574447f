/**
 * Order actions in the browser, through the generic tool panel: preview, confirm, refusal.
 * Until the tool layer is merged these run against test/e2e/stub-tools.ts (same contract); after the merge, drop
 * `mount` below to run the same journeys against the real cancel_order / refund_order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { openConversationByEmail, shot, signIn, startE2E, type E2E } from './support.js';
import { stubToolRoutes } from './stub-tools.js';

let e: E2E;
let fx: InboxFixture;
let page: Page;

beforeAll(async () => {
  e = await startE2E({ mount: (ctx) => ({ '/v1/tools': stubToolRoutes(ctx) }) });
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
  await openConversationByEmail(page, fx.customer.email);
});
afterAll(() => e.close());

const orderCard = (name: string) => page.getByRole('article', { name: `Order ${name}` });
const labelsOf = (name: string) => orderCard(name).getByRole('list', { name: `Statuses of order ${name}` });

describe('order actions in the Agent Inbox (seed 003)', () => {
  it('disables Cancel on a delivered order with the reason and policy from the rule, before anyone clicks', async () => {
    const actions = orderCard(fx.noReturnOrder.name).getByRole('region', { name: /Actions on order/ });
    await expect.poll(() => actions.getByRole('button', { name: 'Cancel', exact: true }).isDisabled()).toBe(true);
    expect(await actions.textContent()).toContain('Only orders that have not been delivered can be canceled');
    expect(await actions.textContent()).toContain('Not available on this server: Return, Exchange, Swap product');
  });

  it('cancels an unpaid order after the summary, and the order shows Canceled and Voided', async () => {
    const card = orderCard(fx.unpaidOrder.name);
    await card.getByRole('button', { name: 'Cancel', exact: true }).click();
    const form = card.getByRole('form', { name: `Cancel order ${fx.unpaidOrder.name}` });
    await form.getByLabel('Reason').selectOption('customer');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('1 × Desk lamp — Black');
    expect(await preview.textContent()).toContain('Voided');
    await preview.scrollIntoViewIfNeeded();
    await shot(page, 'cancel-preview');
    await form.getByRole('button', { name: 'Confirm cancel' }).click();
    await expect.poll(() => labelsOf(fx.unpaidOrder.name).textContent()).toContain('Voided');
    expect(await labelsOf(fx.unpaidOrder.name).textContent()).toContain('Canceled');
  });

  it('refuses a refund on an unpaid order: the button is disabled with the reason', async () => {
    await page.reload();
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    const order = (await e.request('POST', '/v1/orders', { customerId: fx.customer.id, currency: 'USD', lines: [{ sku: 'LAMP', quantity: 1 }] })).body;
    await page.reload();
    const card = orderCard(order.name);
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    const form = card.getByRole('form', { name: `Refund order ${order.name}` });
    await form.getByLabel('Quantity of Desk lamp — Black').fill('1');
    await form.getByLabel('Reason').fill('Changed mind');
    await form.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('order_unpaid');
    expect(await form.getByRole('alert').textContent()).toContain('orders pending payment can only be canceled');
    expect(await card.getByRole('button', { name: 'Refund', exact: true }).isDisabled()).toBe(true);
    expect(await form.getByRole('button', { name: 'Confirm refund' }).isDisabled()).toBe(true);
  });

  it('refunds a no-return item after reading the preview (shipping not refunded), and the order shows Refunded', async () => {
    const card = orderCard(fx.noReturnOrder.name);
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    const form = card.getByRole('form', { name: `Refund order ${fx.noReturnOrder.name}` });
    await form.getByLabel('Quantity of Phone case — Clear').fill('1');
    await form.getByLabel('Reason').fill('Cracked on arrival');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('$15.00');
    expect(await preview.textContent()).toContain('Shipping fees are not refunded');
    await preview.scrollIntoViewIfNeeded();
    await shot(page, 'refund-preview');
    await form.getByRole('button', { name: 'Confirm refund' }).click();
    await expect.poll(() => labelsOf(fx.noReturnOrder.name).textContent()).toContain('Refunded');
  });
});

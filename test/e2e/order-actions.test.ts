/**
 * Order actions in the browser against the real tools (GET /v1/tools, POST /v1/tools/{name}): each form is built
 * from the tool's input schema, previews with dryRun, confirms once, and shows a rule's refusal with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { openConversationByEmail, shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let fx: InboxFixture;
let page: Page;
/** An unpaid order whose payment is authorized, not captured: canceling it voids the authorization. */
let authorized: { id: string; name: string };
/** A delivered hoodie in S (an M costs the same): exchanged for the M. */
let hoodieOrder: { id: string; name: string };
/** The product-swap procedure: a paid BoardReview 2.0 with its access code, swapped to the same-priced 3.0. */
let accessOrder: { id: string; name: string };

beforeAll(async () => {
  e = await startE2E();
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  const customer = (await e.request('GET', `/v1/customers/${fx.customer.id}`)).body;
  const order = await e.request('POST', '/v1/orders', {
    customerId: fx.customer.id,
    currency: 'USD',
    placedAt: '2026-11-19T09:00:00Z',
    lines: [{ sku: 'LAMP', quantity: 1 }],
    transactions: [{ kind: 'authorization', amount: 2000, paymentMethodId: customer.paymentMethods[0].id }],
  });
  expect(order.status).toBe(201);
  authorized = { id: order.body.id, name: order.body.name };
  const card = customer.paymentMethods[0].id;
  const tag = Date.now().toString(36).toUpperCase();
  const product = (body: unknown) => e.request('POST', '/v1/products', body).then((r) => expect(r.status).toBe(201));
  await product({
    title: 'Hoodie',
    category: 'apparel',
    variants: ['S', 'M'].map((size) => ({
      sku: `HOOD-${size}-${tag}`,
      title: size,
      price: 4000,
      currency: 'USD',
      inventoryQuantity: 10,
    })),
  });
  for (const version of ['2.0', '3.0']) {
    await product({
      title: `BoardReview ${version}`,
      kind: 'digital_access',
      variants: [{ sku: `BR${version}-${tag}`, title: 'Licence', price: 50000, currency: 'USD' }],
    });
  }
  const hoodie = await e.request('POST', '/v1/orders', {
    customerId: fx.customer.id,
    currency: 'USD',
    placedAt: '2026-11-16T09:00:00Z',
    lines: [{ sku: `HOOD-S-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'sale', amount: 4000, paymentMethodId: card }],
    packages: [
      {
        carrier: 'AusPost',
        trackingNumber: 'AP300',
        status: 'delivered',
        deliveredAt: '2026-11-18T12:00:00Z',
        items: [{ sku: `HOOD-S-${tag}`, quantity: 1 }],
      },
    ],
  });
  expect(hoodie.status).toBe(201);
  hoodieOrder = { id: hoodie.body.id, name: hoodie.body.name };
  const access = await e.request('POST', '/v1/orders', {
    customerId: fx.customer.id,
    currency: 'USD',
    placedAt: '2026-11-17T09:00:00Z',
    lines: [{ sku: `BR2.0-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'sale', amount: 50000, paymentMethodId: card }],
    accessCodes: [{ sku: `BR2.0-${tag}`, code: `BR20-${tag}-1` }],
  });
  expect(access.status).toBe(201);
  accessOrder = { id: access.body.id, name: access.body.name };
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
  await openConversationByEmail(page, fx.customer.email);
});
afterAll(() => e.close());

const orderCard = (name: string) => page.getByRole('article', { name: `Order ${name}` });
const labelsOf = (name: string) => orderCard(name).getByRole('list', { name: `Statuses of order ${name}` });
const actionsOf = (name: string) => orderCard(name).getByRole('region', { name: `Actions on order ${name}` });

describe('order actions in the Agent Inbox, on the real tools (the Shopify order rules)', () => {
  it('disables Cancel on a delivered order with the reason and policy from the rule, before anyone clicks', async () => {
    const actions = actionsOf(fx.noReturnOrder.name);
    await expect.poll(() => actions.getByRole('button', { name: 'Cancel', exact: true }).isDisabled()).toBe(true);
    expect(await actions.textContent()).toContain('Cancel not allowed (order_delivered)');
    expect(await actions.textContent()).toContain('Only orders with nothing delivered can be canceled');
    // The no-return phone case cannot be returned either: the eligibility rule says why.
    await expect.poll(() => actions.getByRole('button', { name: 'Return', exact: true }).isDisabled()).toBe(true);
    expect(await actions.textContent()).toContain('Return not allowed (not_returnable)');
    expect(await actions.textContent()).not.toContain('Not available on this server');
    expect(await actions.getByRole('button', { name: 'Cancel', exact: true }).getAttribute('aria-describedby')).toBe(
      `why-${fx.noReturnOrder.id}-cancel_order`,
    );
  });

  it('cancels an unpaid order after the summary, and the order shows Canceled and Voided', async () => {
    const card = orderCard(authorized.name);
    await card.getByRole('button', { name: 'Cancel', exact: true }).click();
    const form = card.getByRole('form', { name: `Cancel order ${authorized.name}` });
    const reason = form.getByLabel('Reason');
    expect(await reason.evaluate((el) => el.tagName)).toBe('SELECT');
    await reason.selectOption({ label: 'Customer' });
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('1 × Desk lamp — Black');
    expect(await preview.textContent()).toContain('the payment authorization of $20.00 is voided');
    expect(await preview.textContent()).toContain('Canceled · Voided');
    await preview.scrollIntoViewIfNeeded();
    await shot(page, 'cancel-preview');
    await form.getByRole('button', { name: 'Confirm cancel' }).click();
    await expect.poll(() => labelsOf(authorized.name).textContent()).toContain('Voided');
    expect(await labelsOf(authorized.name).textContent()).toContain('Canceled');
    await expect.poll(() => actionsOf(authorized.name).textContent()).toContain('Cancel not allowed (order_canceled)');
  });

  it('offers no refund on an unpaid order (the Shopify order rules): Refund is disabled before anyone clicks, with the rule and its policy', async () => {
    const actions = actionsOf(fx.unpaidOrder.name);
    await expect.poll(() => actions.getByRole('button', { name: 'Refund', exact: true }).isDisabled()).toBe(true);
    await expect.poll(() => actions.textContent()).toContain('Refund not allowed (order_unpaid)');
    expect(await actions.textContent()).toContain('an order with payment pending can only be canceled');
    expect(await actions.getByRole('button', { name: 'Refund', exact: true }).getAttribute('aria-describedby')).toBe(
      `why-${fx.unpaidOrder.id}-refund_order`,
    );
    // Canceling it is what remains.
    expect(await actions.getByRole('button', { name: 'Cancel', exact: true }).isDisabled()).toBe(false);
    expect((await e.request('GET', `/v1/orders/${fx.unpaidOrder.id}`)).body.totals.refunded).toBe(0);
  });

  it('refunds a no-return item after reading the preview (shipping not refunded), and the order shows Refunded', async () => {
    const card = orderCard(fx.noReturnOrder.name);
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    const form = card.getByRole('form', { name: `Refund order ${fx.noReturnOrder.name}` });
    await form.getByLabel('Quantity of Phone case — Clear').fill('1');
    await form.getByLabel('Reason').fill('Cracked on arrival');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Refund $15.00 for 1 × Phone case — Clear');
    expect(await preview.textContent()).toContain('Shipping fees are not refunded');
    expect(await preview.textContent()).toContain('Visa •••• 4242');
    await preview.scrollIntoViewIfNeeded();
    await shot(page, 'refund-preview');
    await form.getByRole('button', { name: 'Confirm refund' }).click();
    await expect.poll(() => labelsOf(fx.noReturnOrder.name).textContent()).toContain('Refunded');
    expect((await e.request('GET', `/v1/orders/${fx.noReturnOrder.id}`)).body.totals.refunded).toBe(1500);
  });

  it('starts a return of a delivered lamp: reason as a select, the disclosures in the preview, a tracking id after confirm', async () => {
    const card = orderCard(fx.partialOrder.name);
    await card.getByRole('button', { name: 'Return', exact: true }).click();
    const form = card.getByRole('form', { name: `Return order ${fx.partialOrder.name}` });
    await form.getByLabel('Quantity of Desk lamp — Black').fill('1');
    await form.getByLabel('Reason').selectOption({ label: 'Damaged' });
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Shipping fees will not be refunded');
    expect(await preview.textContent()).toContain('$20.00');
    await form.getByRole('button', { name: 'Confirm return' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toMatch(/Return tracking id RT-/);
  });

  it('exchanges a delivered hoodie for the same-priced M after the preview, and the exchange is on the timeline', async () => {
    const card = orderCard(hoodieOrder.name);
    await card.getByRole('button', { name: 'Exchange', exact: true }).click();
    const form = card.getByRole('form', { name: `Exchange order ${hoodieOrder.name}` });
    await form.getByLabel('Quantity of Hoodie — S').fill('1');
    const newVariant = form.getByLabel('New variant for Hoodie — S');
    await expect.poll(() => newVariant.locator('option').count()).toBe(2); // "Exchange for…" and the M
    await newVariant.selectOption({ index: 1 });
    expect(await newVariant.locator('option:checked').textContent()).toMatch(/^M \(HOOD-M-/);
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Hoodie — M');
    await form.getByRole('button', { name: 'Confirm exchange' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Exchange done.');
    const events = (await e.request('GET', `/v1/customers/${fx.customer.id}/timeline?limit=50`)).body.events as {
      type: string;
      orderId: string | null;
    }[];
    expect(events.some((ev) => ev.type === 'exchange.requested' && ev.orderId === hoodieOrder.id)).toBe(true);
  });

  it('swaps BoardReview 2.0 for the same-priced 3.0 (the product-swap procedure): the old code is revoked and a new one issued', async () => {
    const card = orderCard(accessOrder.name);
    await card.getByRole('button', { name: 'Swap product', exact: true }).click();
    const form = card.getByRole('form', { name: `Swap product order ${accessOrder.name}` });
    await form.getByLabel('Item', { exact: true }).selectOption({ label: 'BoardReview 2.0 — Licence' });
    await form
      .getByLabel('SKU of the correct product')
      .fill((await e.request('GET', `/v1/orders/${accessOrder.id}`)).body.lines[0].sku.replace('2.0', '3.0'));
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('BoardReview 3.0');
    await form.getByRole('button', { name: 'Confirm swap product' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Swap product done.');
    // The product-code lookup (the product-swap procedure's API) reads the swap back: a 3.0 code active, the 2.0 code revoked.
    const codes = JSON.stringify(
      (await e.request('GET', `/v1/product-codes?customerId=${fx.customer.id}&includeRevoked=true`)).body,
    );
    expect(codes).toContain('BR3.0-');
    expect(codes).toContain(`BR20-`);
  });

  it('opens Exchange and Swap product with forms from their schemas: a new variant per item, an item and a SKU', async () => {
    const card = orderCard(fx.partialOrder.name);
    await card.getByRole('button', { name: 'Exchange', exact: true }).click();
    const ex = card.getByRole('form', { name: `Exchange order ${fx.partialOrder.name}` });
    expect(await ex.getByLabel('New variant for Desk lamp — Black').isVisible()).toBe(true);
    expect(await ex.getByLabel('Payment method').evaluate((el) => el.tagName)).toBe('SELECT');
    await card.getByRole('button', { name: 'Swap product', exact: true }).click();
    const swap = card.getByRole('form', { name: `Swap product order ${fx.partialOrder.name}` });
    await swap.getByLabel('Item', { exact: true }).selectOption({ label: 'Desk lamp — Black' });
    await swap.getByLabel('SKU of the correct product').fill('NO-SUCH-SKU');
    await swap.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => swap.getByRole('alert').textContent()).toMatch(/Not allowed|not found|No /i);
  });
});

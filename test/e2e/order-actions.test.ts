/**
 * Order actions in the browser against the real tools (GET /v1/tools, POST /v1/tools/{name}): what the rules allow
 * is one read per order (GET /v1/orders/{id}/actions); a refused action is marked unavailable with its reason in an
 * agent's words a click away; each form is built from the tool's input schema, previews with dryRun and confirms
 * once; a return is taken from requested to refunded on the order card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { openConversationByEmail, reasonOf, shot, signIn, startE2E, type E2E } from './support.js';

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
  it('marks Cancel on a delivered order unavailable, its reason a click away in words for an agent, before anyone clicks', async () => {
    const actions = actionsOf(fx.noReturnOrder.name);
    const cancel = actions.getByRole('button', { name: 'Cancel', exact: true });
    await expect.poll(() => reasonOf(cancel)).toContain('Items were delivered');
    expect(await cancel.getAttribute('aria-disabled')).toBe('true');
    expect(await cancel.getAttribute('aria-describedby')).toBe(`why-${fx.noReturnOrder.id}-cancel`);
    expect(await cancel.getAttribute('title')).toBeNull();
    // The reason shows as a tooltip on hover and on keyboard focus, and Esc hides it.
    const tip = page.getByRole('tooltip');
    await cancel.hover();
    await expect.poll(() => tip.textContent()).toContain('Items were delivered');
    // Radix closes it on the pointer moves that follow leaving the button (it keeps a grace path to the tooltip).
    await page.mouse.move(0, 0, { steps: 4 });
    await page.mouse.move(1, 1);
    await expect.poll(() => tip.count()).toBe(0);
    await cancel.focus();
    await expect.poll(() => tip.textContent()).toContain('Items were delivered');
    await page.keyboard.press('Escape');
    await expect.poll(() => tip.count()).toBe(0);
    // No wall of refusals, no rule codes, no tool names.
    const text = await actions.textContent();
    expect(text).not.toMatch(/not allowed|order_delivered|not_returnable|check_return_eligibility|refund_order/);
    // The no-return phone case cannot be returned either; what to do instead is one click away.
    const ret = actions.getByRole('button', { name: 'Return', exact: true });
    expect(await ret.getAttribute('aria-disabled')).toBe('true');
    // aria-disabled, not disabled: a person can click it to read why (Playwright waits for "enabled" unless forced).
    await ret.click({ force: true });
    const note = actions.getByRole('note');
    expect(await note.textContent()).toContain('These items cannot be returned (no-return policy)');
    await note.getByRole('button', { name: 'Refund instead' }).waitFor();
    await ret.click({ force: true });
    expect(await actions.getByRole('note').count()).toBe(0);
    expect(await actions.textContent()).not.toContain('Not available on this server');
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
    await form.getByRole('button', { name: 'Confirm cancellation' }).click();
    await expect.poll(() => labelsOf(authorized.name).textContent()).toContain('Voided');
    expect(await labelsOf(authorized.name).textContent()).toContain('Canceled');
    await expect
      .poll(() => reasonOf(actionsOf(authorized.name).getByRole('button', { name: 'Cancel', exact: true })))
      .toBe('The order is canceled.');
  });

  it('offers no refund on an unpaid order (the Shopify order rules): Refund is disabled before anyone clicks, with the rule and its policy', async () => {
    const actions = actionsOf(fx.unpaidOrder.name);
    const refund = actions.getByRole('button', { name: 'Refund', exact: true });
    await expect
      .poll(() => reasonOf(refund))
      .toBe('Nothing has been paid, so there is nothing to refund. Cancel the order instead.');
    expect(await refund.getAttribute('aria-disabled')).toBe('true');
    expect(await refund.getAttribute('aria-describedby')).toBe(`why-${fx.unpaidOrder.id}-refund`);
    // Canceling it is what remains.
    expect(await actions.getByRole('button', { name: 'Cancel', exact: true }).getAttribute('aria-disabled')).toBeNull();
    expect((await e.request('GET', `/v1/orders/${fx.unpaidOrder.id}`)).body.totals.refunded).toBe(0);
  });

  it('refunds a no-return item after reading the preview (nothing said of shipping: none was charged), and the order shows Refunded', async () => {
    const card = orderCard(fx.noReturnOrder.name);
    await card.getByRole('button', { name: 'Refund', exact: true }).click();
    const form = card.getByRole('form', { name: `Refund order ${fx.noReturnOrder.name}` });
    await form.getByLabel('Quantity of Phone case — Clear').fill('1');
    await form.getByLabel('Reason').fill('Cracked on arrival');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Refund $15.00 for 1 × Phone case — Clear');
    expect(await preview.textContent()).not.toContain('Shipping fees are not refunded');
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
    await form.getByRole('button', { name: 'Start the return' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toMatch(/Return tracking id RT-/);
  });

  it('takes that return from requested to refunded on the order card: approve, picked up, received, refund', async () => {
    const card = orderCard(fx.partialOrder.name);
    const returns = card.getByRole('region', { name: `Returns and exchanges of order ${fx.partialOrder.name}` });
    await expect.poll(() => returns.textContent()).toContain('Requested, awaiting approval');
    const trackingId = /RT-[A-Z0-9]+/.exec((await returns.textContent()) ?? '')![0];
    const what = `return ${trackingId}`;
    const step = async (button: string, confirm: string, state: string) => {
      await returns.getByRole('button', { name: `${button} — ${what}` }).click();
      const panel = returns.getByRole('form', { name: `${button} — ${what}` });
      await panel.getByRole('region', { name: 'Preview' }).waitFor();
      await panel.getByRole('button', { name: confirm }).click();
      await expect.poll(() => returns.textContent()).toContain(state);
    };
    await step('Approve', 'Approve the return', 'Approved, awaiting pickup');
    await step('Mark picked up', 'Mark picked up', 'In transit to the returns centre');
    await step('Mark received', 'Mark received', 'Received, awaiting refund');
    await returns.getByRole('button', { name: `Refund $20.00 — ${what}` }).click();
    const refund = returns.getByRole('form', { name: `Refund $20.00 — ${what}` });
    await expect.poll(() => refund.getByRole('region', { name: 'Preview' }).textContent()).toContain('$20.00');
    await refund.scrollIntoViewIfNeeded();
    await shot(page, 'return-refund-preview');
    await refund.getByRole('button', { name: 'Refund $20.00' }).click();
    await expect.poll(() => returns.textContent()).toContain('Refunded (closed)');
    const view = (await e.request('GET', `/v1/returns/${trackingId}`)).body;
    expect(view.status).toBe('refunded');
    expect(view.refund.amount).toBe(2000);
    // Closed: no step is offered any more.
    expect(await returns.getByRole('button', { name: new RegExp(what) }).count()).toBe(0);
  });

  it('lists a requested return on the Returns page, waiting for a decision', async () => {
    const card = orderCard(fx.partialOrder.name);
    const open = card.getByRole('button', { name: 'Return', exact: true });
    // The form of the return started above is still open: close it, and open a new one.
    if ((await open.getAttribute('aria-expanded')) === 'true') await open.click();
    await open.click();
    const form = card.getByRole('form', { name: `Return order ${fx.partialOrder.name}` });
    await form.getByLabel('Quantity of Desk lamp — Black').fill('1');
    await form.getByLabel('Reason').selectOption({ label: 'Wrong item' });
    await form.getByRole('button', { name: 'Preview' }).click();
    await form.getByRole('region', { name: 'Preview' }).waitFor();
    await form.getByRole('button', { name: 'Start the return' }).click();
    const tracking = /RT-[A-Z0-9]+/.exec((await form.getByRole('status').textContent()) ?? '')![0];
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Returns' }).click();
    const list = page.getByRole('list', { name: 'Waiting for a decision' });
    await expect.poll(() => list.textContent()).toContain(`${tracking} · order ${fx.partialOrder.name}`);
    await page.goBack();
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
    // The card shows the exchange, which is completed once the replacement was handed over.
    const exchanges = card.getByRole('region', { name: `Returns and exchanges of order ${hoodieOrder.name}` });
    await expect.poll(() => exchanges.textContent()).toContain('Requested, replacement on its way');
    await exchanges.getByRole('button', { name: /^Mark completed/ }).click();
    await exchanges.getByRole('button', { name: 'Mark the exchange completed' }).click();
    await expect.poll(() => exchanges.textContent()).toContain('Completed');
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
      .getByLabel('Correct product (name or SKU)')
      .fill((await e.request('GET', `/v1/orders/${accessOrder.id}`)).body.lines[0].sku.replace('2.0', '3.0'));
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('BoardReview 3.0');
    await form.getByRole('button', { name: 'Confirm swap' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Swap product done.');
    // The product-code lookup (the product-swap procedure's API) reads the swap back: a 3.0 code active, the 2.0 code revoked.
    const codes = JSON.stringify(
      (await e.request('GET', `/v1/product-codes?customerId=${fx.customer.id}&includeRevoked=true`)).body,
    );
    expect(codes).toContain('BR3.0-');
    expect(codes).toContain(`BR20-`);
  });

  it('marks Exchange and Swap product unavailable once every delivered lamp is in a return and the lamps have shipped', async () => {
    const actions = actionsOf(fx.partialOrder.name);
    const exchange = actions.getByRole('button', { name: 'Exchange', exact: true });
    await expect.poll(() => reasonOf(exchange)).toBe('Every delivered item is already in a return or an exchange.');
    const swap = actions.getByRole('button', { name: 'Swap product', exact: true });
    expect(await reasonOf(swap)).toBe('Every item has shipped; exchange or return it instead.');
    expect(await swap.getAttribute('aria-disabled')).toBe('true');
  });
});

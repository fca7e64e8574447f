/**
 * The order actions, the timeline, the handoff queue and the sidebar tabs, each checked in the browser:
 * - a refusal that depends on what was entered in a preview (return_required, price_mismatch) is shown in the form
 *   and leaves the action available: the delivered T-shirt is refunded through its received return afterwards, and
 *   the swap goes through to the same-priced product after the premium one was refused;
 * - the Shopify order rules: Refund is disabled up front (order_unpaid, with the rule's policy) on Unpaid, Authorized and Voided orders;
 * - the timeline shows each event as a sentence with its facts (amounts, items, tracking ids, from → to);
 * - a 400 from a preview is an input problem naming the field; the "Taken" handoff filter has its own empty text;
 * - the sidebar tabs are a WAI-ARIA tablist (each aria-controls names a panel that exists; arrow keys move).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ok, openConversationByEmail, reasonOf, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;
const tag = Date.now().toString(36).toUpperCase();
const email = `qa${tag.toLowerCase()}@example.com`;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
type Ref = { id: string; name: string };
let customerId = '';
let tee: Ref;
/** A paid kettle not shipped yet: refundable at once. */
let paidKettle: Ref;
let access: Ref;
let unpaid: Ref;
let authorized: Ref;
let voided: Ref;
let canceled: Ref;

beforeAll(async () => {
  e = await startE2E();
  const customer = await ok(
    e.request('POST', '/v1/customers', {
      name: 'Quinn Assurance',
      emails: [email],
      paymentMethods: [{ kind: 'card', brand: 'Visa', last4: '4242' }],
    }),
  );
  customerId = customer.id;
  const card = customer.paymentMethods[0].id;
  const product = (body: unknown) => ok(e.request('POST', '/v1/products', body));
  await product({
    title: 'Tee',
    category: 'apparel',
    variants: ['S', 'M'].map((size) => ({
      sku: `TEE-${size}-${tag}`,
      title: size,
      price: 4000,
      currency: 'USD',
      inventoryQuantity: 10,
    })),
  });
  await product({
    title: 'Kettle',
    category: 'home',
    variants: [{ sku: `KETTLE-${tag}`, title: 'Steel', price: 8910, currency: 'USD', inventoryQuantity: 10 }],
  });
  for (const [name, sku, price] of [
    ['BoardReview 2.0', `SQBR-2.0-${tag}`, 50000],
    ['BoardReview 3.0', `SQBR-3.0-${tag}`, 50000],
    ['BoardReview 3.0 Premium', `SQBR-3.0-PREMIUM-${tag}`, 65000],
  ] as const) {
    await product({
      title: name,
      kind: 'digital_access',
      variants: [{ sku, title: 'Licence', price, currency: 'USD' }],
    });
  }
  const order = async (body: Record<string, unknown>): Promise<Ref> => {
    const o = await ok(e.request('POST', '/v1/orders', { customerId, currency: 'USD', ...body }));
    return { id: o.id, name: o.name };
  };
  tee = await order({
    placedAt: daysAgo(6),
    lines: [{ sku: `TEE-S-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'sale', amount: 4000, paymentMethodId: card }],
    packages: [
      {
        carrier: 'AusPost',
        trackingNumber: `AP-${tag}`,
        status: 'delivered',
        deliveredAt: daysAgo(3),
        items: [{ sku: `TEE-S-${tag}`, quantity: 1 }],
      },
    ],
  });
  access = await order({
    placedAt: daysAgo(5),
    lines: [{ sku: `SQBR-2.0-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'sale', amount: 50000, paymentMethodId: card }],
    accessCodes: [{ sku: `SQBR-2.0-${tag}`, code: `BR20-${tag}-1` }],
  });
  paidKettle = await order({
    placedAt: daysAgo(4),
    lines: [{ sku: `KETTLE-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'sale', amount: 8910, paymentMethodId: card }],
  });
  unpaid = await order({ placedAt: daysAgo(4), lines: [{ sku: `KETTLE-${tag}`, quantity: 1 }] });
  authorized = await order({
    placedAt: daysAgo(4),
    lines: [{ sku: `KETTLE-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'authorization', amount: 8910, paymentMethodId: card }],
  });
  voided = await order({
    placedAt: daysAgo(4),
    lines: [{ sku: `KETTLE-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'authorization', amount: 8910, paymentMethodId: card }],
  });
  await ok(e.request('POST', `/v1/orders/${voided.id}/cancel`, { reason: 'customer' }));
  canceled = await order({
    placedAt: daysAgo(4),
    lines: [{ sku: `KETTLE-${tag}`, quantity: 1 }],
    transactions: [{ kind: 'sale', amount: 8910, paymentMethodId: card }],
  });
  await ok(e.request('POST', `/v1/orders/${canceled.id}/cancel`, { reason: 'inventory' }));
  await ok(
    e.request('POST', '/v1/conversations', {
      customerId,
      channel: 'email',
      subject: 'My T-shirt',
      body: 'The tee does not fit.',
      orderIds: [tee.name],
    }),
  );
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
  await openConversationByEmail(page, email);
});
afterAll(() => e.close());

const orderCard = (name: string) => page.getByRole('article', { name: `Order ${name}` });
const actionsOf = (name: string) => orderCard(name).getByRole('region', { name: `Actions on order ${name}` });
const button = (name: string, label: string) => actionsOf(name).getByRole('button', { name: label, exact: true });

describe('a refusal of what was entered leaves the action available', () => {
  it('says a delivered T-shirt is refunded through its return, points to the return, and refunds the return once received', async () => {
    const refund = button(tee.name, 'Refund');
    await expect
      .poll(() => reasonOf(refund))
      .toBe('Delivered items are refunded through a return: start a return, and refund it once it is received.');
    expect(await refund.getAttribute('aria-disabled')).toBe('true');
    await refund.click({ force: true });
    const note = actionsOf(tee.name).getByRole('note');
    await note.getByRole('button', { name: 'Start a return' }).click();
    const form = orderCard(tee.name).getByRole('form', { name: `Return order ${tee.name}` });
    await form.getByLabel('Quantity of Tee — S').waitFor();
    await form.getByRole('button', { name: 'Close' }).click();

    // The customer sends the tee back; once it is received, the return on the card is refunded.
    const ret = await ok(
      e.request('POST', `/v1/orders/${tee.id}/returns`, {
        items: [{ itemId: (await ok(e.request('GET', `/v1/orders/${tee.id}`))).lines[0].id, quantity: 1 }],
        reason: 'WRONG_ITEM',
      }),
    );
    const returnId = ret.result?.returnId ?? ret.result?.id ?? ret.returnId ?? ret.id;
    const trackingId = ret.result?.trackingId ?? ret.trackingId;
    expect(typeof returnId).toBe('string');
    for (const step of ['approve', 'pick-up', 'receive'])
      await ok(e.request('POST', `/v1/returns/${returnId}/${step}`, {}));
    await page.reload();
    const returns = orderCard(tee.name).getByRole('region', { name: `Returns and exchanges of order ${tee.name}` });
    await returns.getByRole('button', { name: `Refund $40.00 — return ${trackingId}` }).click();
    const panel = returns.getByRole('form', { name: `Refund $40.00 — return ${trackingId}` });
    await expect.poll(() => panel.getByRole('region', { name: 'Preview' }).textContent()).toContain('Refund $40.00');
    await panel.getByRole('button', { name: 'Refund $40.00' }).click();
    await expect
      .poll(() =>
        orderCard(tee.name)
          .getByRole('list', { name: `Statuses of order ${tee.name}` })
          .textContent(),
      )
      .toContain('Refunded');
    expect((await ok(e.request('GET', `/v1/orders/${tee.id}`))).totals.refunded).toBe(4000);
  });

  it('refuses the swap to SQBR-3.0-PREMIUM (price_mismatch) in the form, and Swap still goes through to SQBR-3.0', async () => {
    await button(access.name, 'Swap product').click();
    const form = orderCard(access.name).getByRole('form', { name: `Swap product order ${access.name}` });
    await form.getByLabel('Item', { exact: true }).selectOption({ index: 1 });
    await form.getByLabel('Correct product (name or SKU)').fill(`SQBR-3.0-PREMIUM-${tag}`);
    await form.getByRole('button', { name: 'Preview' }).click();
    const alert = form.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Not allowed:');
    expect(await alert.textContent()).toContain('the prices must be exactly equal');
    expect(await alert.locator('.policy').count()).toBe(1);
    // A refusal of what was entered leaves the action available.
    expect(await button(access.name, 'Swap product').getAttribute('aria-disabled')).toBeNull();
    expect(await form.getByRole('button', { name: 'Confirm swap' }).count()).toBe(0);
    await form.getByRole('button', { name: 'Close' }).click();
    await button(access.name, 'Swap product').click();
    await form.getByLabel('Item', { exact: true }).selectOption({ index: 1 });
    await form.getByLabel('Correct product (name or SKU)').fill(`SQBR-3.0-${tag}`);
    await form.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => form.getByRole('region', { name: 'Preview' }).textContent()).toContain('BoardReview 3.0');
    await form.getByRole('button', { name: 'Confirm swap' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('Swap product done.');
  });

  it('says a 400 from a preview is an input problem and names the field, not "Not allowed"', async () => {
    const order = await ok(e.request('GET', `/v1/orders/${paidKettle.id}`));
    expect(order.status.financial).toBe('paid');
    await button(paidKettle.name, 'Refund').click();
    const form = orderCard(paidKettle.name).getByRole('form', { name: `Refund order ${paidKettle.name}` });
    await form.getByLabel('Reason').fill('No'); // under the 3 characters the tool asks for
    await form.getByRole('button', { name: 'Preview' }).click();
    const alert = form.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Input problem');
    expect(await alert.textContent()).not.toContain('Not allowed');
    expect(await alert.getByRole('listitem').first().textContent()).toMatch(/^Reason: /);
    expect(await form.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    expect(await button(paidKettle.name, 'Refund').getAttribute('aria-disabled')).toBeNull();
    await form.getByRole('button', { name: 'Close' }).click();
  });
});

describe('the Shopify order rules: no refund option for an order with nothing captured', () => {
  it('marks Refund unavailable up front on Unpaid, Authorized and Voided orders, saying why in words for an agent', async () => {
    for (const o of [unpaid, authorized, voided]) {
      await expect
        .poll(() => reasonOf(button(o.name, 'Refund')))
        .toMatch(/^Nothing has been paid, so there is nothing to refund\./);
      expect(await button(o.name, 'Refund').getAttribute('aria-disabled')).toBe('true');
      expect(await button(o.name, 'Refund').getAttribute('aria-describedby')).toBe(`why-${o.id}-refund`);
      expect(await actionsOf(o.name).textContent()).not.toContain('order_unpaid');
    }
    // A paid order keeps its Refund.
    expect(await button(paidKettle.name, 'Refund').getAttribute('aria-disabled')).toBeNull();
    // Canceling the unpaid order is still offered.
    expect(await button(unpaid.name, 'Cancel').getAttribute('aria-disabled')).toBeNull();
  });
});

describe('the timeline', () => {
  it('shows each event as a sentence with its facts, not its type', async () => {
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const tl = page.getByRole('region', { name: 'Activity timeline' });
    await expect
      .poll(() => tl.textContent())
      .toContain(
        `Order ${canceled.name} canceled (reason: inventory) — $89.10 refunded to the original payment method`,
      );
    // Order names and item titles come from the orders the events are about, read once the events are shown.
    await expect.poll(() => tl.textContent()).toContain(`on order ${tee.name}: 1 × Tee — S`);
    const text = (await tl.textContent()) ?? '';
    expect(text).toContain(
      `Order ${voided.name} canceled (reason: customer) — payment of $89.10 voided; nothing had been charged`,
    );
    expect(text).toMatch(
      new RegExp(
        `Product swapped on order ${access.name}: BoardReview 2\\.0[^→]* → BoardReview 3\\.0[^;]*; access codes: 1 revoked, 1 issued`,
      ),
    );
    expect(text).toMatch(new RegExp(`Return RT-[\\w-]+ requested \\(wrong item\\) on order ${tee.name}: 1 × Tee — S`));
    expect(text).toMatch(/Return RT-[\w-]+ received at the centre/);
    expect(text).toMatch(
      new RegExp(
        `Return RT-[\\w-]+ refunded: \\$40\\.00 to the original payment method on order ${tee.name}: 1 × Tee — S`,
      ),
    );
    expect(text).toContain('Conversation started (email): “My T-shirt”');
    expect(text).toContain(`Order ${tee.name} placed: $40.00`);
    for (const raw of [
      'order.canceled',
      'product.swapped',
      'conversation.created',
      'return.requested',
      'return.refunded',
      'message.sent',
    ])
      expect(text).not.toContain(raw);
    await page.getByRole('tab', { name: 'Orders' }).click();
  });
});

describe('the sidebar tabs', () => {
  it('are a WAI-ARIA tablist: every aria-controls names a tabpanel that exists, and the arrow keys move between tabs', async () => {
    await page.getByRole('tab', { name: 'Orders' }).click();
    const tablist = page.getByRole('tablist', { name: 'Customer details' });
    const tabs = tablist.getByRole('tab');
    expect(await tabs.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const tab = tabs.nth(i);
      const controls = await tab.getAttribute('aria-controls');
      const panel = page.locator(`[id="${controls}"]`);
      expect(await panel.count(), `${controls}`).toBe(1);
      expect(await panel.getAttribute('role')).toBe('tabpanel');
      expect(await panel.getAttribute('aria-labelledby')).toBe(await tab.getAttribute('id'));
    }
    // One tab stop: the selected tab.
    expect(await tabs.evaluateAll((ts) => ts.map((t) => t.getAttribute('tabindex')))).toEqual(['0', '-1', '-1']);
    await page.getByRole('tab', { name: 'Orders' }).focus();
    await page.keyboard.press('ArrowRight');
    // Radix moves focus on the next tick after a key, so each move is awaited before the next key.
    const focused = async () => (await page.evaluate('document.activeElement?.textContent ?? ""')) as string;
    await expect.poll(focused).toBe('Timeline');
    await expect.poll(() => page.getByRole('tab', { name: 'Timeline' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByRole('tabpanel', { name: 'Timeline' }).isVisible()).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toBe('Procedures');
    await page.keyboard.press('ArrowRight');
    await expect.poll(focused).toBe('Orders');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focused).toBe('Procedures');
    await page.keyboard.press('Home');
    await expect.poll(focused).toBe('Orders');
    await page.keyboard.press('End');
    await expect.poll(focused).toBe('Procedures');
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByRole('tab', { name: 'Orders' }).getAttribute('aria-selected')).toBe('true');
  });
});

describe('the handoff queue', () => {
  it('says nothing is taken when the "Taken" filter has nothing, not that nobody is waiting', async () => {
    await page.getByRole('link', { name: 'Handoff queue' }).click();
    const queue = page.getByRole('region', { name: 'Handoff queue' });
    await expect.poll(() => queue.textContent()).toContain('Nobody is waiting.');
    await queue.getByLabel('Show').selectOption({ label: 'Taken' });
    await expect.poll(() => queue.textContent()).toContain('No handoff is taken');
    expect(await queue.textContent()).not.toContain('Nobody is waiting');
  });
});

/**
 * QA findings in the customer sidebar, each checked in the browser:
 * - "Show older orders" pages on from where the customer's order list was read, not from the number of cards
 *   shown (the conversation's linked orders are put in front, and used to push an order out of reach);
 * - a swap's preview counts the access codes it issues (the tool answers codesToIssue as a number);
 * - an exchange's preview names each item as from → to, not by its line id; sold-out variants are marked and
 *   cannot be chosen; the form's one-line description is not cut at "e.g.".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ok, openConversationByEmail, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;
const tag = Date.now().toString(36).toUpperCase();
const email = `older${tag.toLowerCase()}@example.com`;
const names: string[] = [];
let accessOrder = '';
let teeOrder = '';

beforeAll(async () => {
  e = await startE2E();
  const customer = await ok(
    e.request('POST', '/v1/customers', {
      name: 'Olly Older',
      emails: [email],
      paymentMethods: [{ kind: 'card', brand: 'Visa', last4: '4242' }],
    }),
  );
  const card = customer.paymentMethods[0].id;
  await ok(
    e.request('POST', '/v1/products', {
      title: 'Mug',
      category: 'home',
      variants: [{ sku: `MUG-${tag}`, title: 'White', price: 1000, currency: 'USD', inventoryQuantity: 100 }],
    }),
  );
  await ok(
    e.request('POST', '/v1/products', {
      title: 'Tee',
      category: 'apparel',
      variants: [
        ['S', 10],
        ['M', 10],
        ['L', 0],
      ].map(([size, n]) => ({
        sku: `TEE-${size}-${tag}`,
        title: String(size),
        price: 4000,
        currency: 'USD',
        inventoryQuantity: n,
      })),
    }),
  );
  for (const version of ['2.0', '3.0']) {
    await ok(
      e.request('POST', '/v1/products', {
        title: `BoardReview ${version}`,
        kind: 'digital_access',
        variants: [{ sku: `BR${version}-${tag}`, title: 'Licence', price: 50000, currency: 'USD' }],
      }),
    );
  }
  // Twelve orders, oldest first: the oldest is the one the conversation is about.
  for (let i = 0; i < 12; i++) {
    const o = await ok(
      e.request('POST', '/v1/orders', {
        customerId: customer.id,
        currency: 'USD',
        placedAt: new Date(Date.UTC(2026, 9, 1 + i, 9)).toISOString(),
        lines: [{ sku: `MUG-${tag}`, quantity: 1 }],
        transactions: [{ kind: 'sale', amount: 1000, paymentMethodId: card }],
      }),
    );
    names.push(o.name);
  }
  const tee = await ok(
    e.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-11-16T09:00:00Z',
      lines: [{ sku: `TEE-S-${tag}`, quantity: 1 }],
      transactions: [{ kind: 'sale', amount: 4000, paymentMethodId: card }],
      packages: [
        {
          carrier: 'AusPost',
          trackingNumber: 'AP900',
          status: 'delivered',
          deliveredAt: '2026-11-18T12:00:00Z',
          items: [{ sku: `TEE-S-${tag}`, quantity: 1 }],
        },
      ],
    }),
  );
  teeOrder = tee.name;
  const access = await ok(
    e.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      placedAt: '2026-11-17T09:00:00Z',
      lines: [{ sku: `BR2.0-${tag}`, quantity: 1 }],
      transactions: [{ kind: 'sale', amount: 50000, paymentMethodId: card }],
      accessCodes: [{ sku: `BR2.0-${tag}`, code: `BR20-${tag}-1` }],
    }),
  );
  accessOrder = access.name;
  await ok(
    e.request('POST', '/v1/conversations', {
      customerId: customer.id,
      channel: 'email',
      subject: 'An old order',
      body: 'About my first order.',
      orderIds: [names[0]],
    }),
  );
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
  await openConversationByEmail(page, email);
});
afterAll(() => e.close());

const orderNames = async () =>
  (
    await page
      .getByRole('complementary', { name: 'Customer' })
      .getByRole('article')
      .evaluateAll((as) => as.map((a) => a.querySelector('h3')?.textContent ?? ''))
  ).map((t) => t.replace(/^Order /, ''));
const orderCard = (name: string) => page.getByRole('article', { name: `Order ${name}` });

describe('the customer sidebar', () => {
  it('shows every order of the customer once "Show older orders" is used, with the linked old order first', async () => {
    await orderCard(names[0]!).waitFor();
    expect((await orderNames())[0]).toBe(names[0]);
    await page.getByRole('button', { name: 'Show older orders' }).click();
    await expect.poll(async () => (await orderNames()).length).toBe(14);
    expect([...(await orderNames())].sort()).toEqual([...names, teeOrder, accessOrder].sort());
    expect(await page.getByRole('button', { name: 'Show older orders' }).count()).toBe(0);
  });

  it('previews a product swap with the access codes revoked and issued', async () => {
    const card = orderCard(accessOrder);
    await card.getByRole('button', { name: 'Swap product', exact: true }).click();
    const form = card.getByRole('form', { name: `Swap product order ${accessOrder}` });
    expect(await form.textContent()).toContain('(e.g. BoardReview 2.0 instead of 3.0)');
    await form.getByLabel('Item', { exact: true }).selectOption({ index: 1 });
    await form.getByLabel('Correct product (name or SKU)').fill(`BR3.0-${tag}`);
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('1 new code(s) issued');
    expect(await preview.textContent()).toContain('1 revoked, 1 issued');
    await form.getByRole('button', { name: 'Close' }).click();
  });

  it('previews an exchange naming the item from → to, and does not offer a sold-out variant', async () => {
    const card = orderCard(teeOrder);
    await card.getByRole('button', { name: 'Exchange', exact: true }).click();
    const form = card.getByRole('form', { name: `Exchange order ${teeOrder}` });
    expect(await form.textContent()).toContain('(e.g. another size or colour)');
    const variant = form.getByLabel('New variant for Tee — S');
    await expect.poll(() => variant.locator('option').count()).toBe(3);
    const soldOut = variant.locator('option', { hasText: `TEE-L-${tag}` });
    expect(await soldOut.textContent()).toContain('sold out');
    expect(await soldOut.isDisabled()).toBe(true);
    await form.getByLabel('Quantity of Tee — S').fill('1');
    await variant.selectOption({ label: `M (TEE-M-${tag})` });
    await form.getByRole('button', { name: 'Preview' }).click();
    const items = form.getByRole('region', { name: 'Preview' }).getByRole('list', { name: 'Items in this action' });
    await expect.poll(() => items.textContent()).toBe('1 × Tee — S → Tee — M');
  });
});

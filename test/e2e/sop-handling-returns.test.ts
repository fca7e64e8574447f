/**
 * A journey on the BUILT-IN Handling Returns SOP (sops/handling-returns): an agent opens a conversation,
 * starts the procedure from its SOP panel (the customer's email and the linked order are answered from the
 * conversation) and answers the real steps — whether they know the order, the items, the reason — then confirms the initiate_return preview, and reads the RT-… tracking id
 * with the two disclosures to the customer. The store is loaded through the ingest API: one customer with a
 * delivered, returnable desk lamp ordered inside the 30-day window (the clock is T0 = 2026-11-20).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openConversationByEmail, shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;
const fx = { email: 'rhea.returns@example.com', customerId: '', orderName: '', orderId: '', conversationId: '' };

async function ok(p: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  e = await startE2E();
  const customer = await ok(
    e.request('POST', '/v1/customers', {
      name: 'Rhea Okafor',
      emails: [fx.email],
      addresses: [{ line1: '12 Pitt St', city: 'Sydney', region: 'NSW', zip: '2000', country: 'AU', isDefault: true }],
      paymentMethods: [{ kind: 'card', brand: 'Visa', last4: '1111' }],
    }),
    'customer',
  );
  await ok(
    e.request('POST', '/v1/products', {
      title: 'Desk lamp',
      category: 'home',
      variants: [{ sku: 'LAMP-RT', title: 'Black', price: 2000, currency: 'USD', inventoryQuantity: 20 }],
    }),
    'product',
  );
  const order = await ok(
    e.request('POST', '/v1/orders', {
      customerId: customer.id,
      currency: 'USD',
      shippingFee: 500,
      placedAt: '2026-11-12T09:00:00Z',
      lines: [{ sku: 'LAMP-RT', quantity: 2 }],
      transactions: [{ kind: 'sale', amount: 4500, paymentMethodId: customer.paymentMethods[0].id }],
      packages: [
        {
          carrier: 'AusPost',
          trackingNumber: 'AP300',
          status: 'delivered',
          deliveredAt: '2026-11-16T12:00:00Z',
          items: [{ sku: 'LAMP-RT', quantity: 2 }],
        },
      ],
    }),
    'order',
  );
  const conversation = await ok(
    e.request('POST', '/v1/conversations', {
      customerId: customer.id,
      channel: 'chat',
      subject: 'A lamp arrived broken',
      body: 'One of the two lamps I got arrived with a cracked shade. Can I send it back?',
      orderIds: [order.name],
      tags: ['returns'],
    }),
    'conversation',
  );
  Object.assign(fx, {
    customerId: customer.id,
    orderName: order.name,
    orderId: order.id,
    conversationId: conversation.id,
  });
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
  await openConversationByEmail(page, fx.email);
});
afterAll(() => e.close());

const panel = () => page.getByRole('region', { name: 'Procedures' });
const step = () => panel().getByRole('region', { name: 'What you do now' });
const said = () => panel().getByRole('region', { name: 'Say to the customer' });
let trackingId = '';

describe('the built-in Handling Returns SOP in the SOP panel', () => {
  it("starts Handling Returns for the conversation's customer with the email the conversation knows answered", async () => {
    await page.getByRole('tab', { name: 'Procedures' }).click();
    const start = panel().getByRole('form', { name: 'Start a procedure' });
    await start.getByLabel('Procedure').selectOption({ label: 'Handling Returns' });
    expect(await start.textContent()).toContain('A customer wants to return an item.');
    await start.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => step().textContent()).toContain('Do you have the order number?');
    expect(
      await panel()
        .getByLabel(/^Run status:/)
        .textContent(),
    ).toBe('In progress');
  });

  it('asks whether they know the order, and takes the order linked to the conversation', async () => {
    const knows = step().getByRole('group', { name: 'Do you have the order number?' });
    await knows.waitFor();
    await knows.getByRole('button', { name: 'Yes' }).click();
    await expect
      .poll(() => step().textContent())
      .toContain('Which items would you like to return, and how many of each?');
  });

  it("lists the order's items, checks delivery and eligibility, and asks for the reason", async () => {
    expect(await step().getByLabel('Order', { exact: true }).inputValue()).toBe(fx.orderName);
    await step()
      .getByLabel(/Desk lamp — Black/)
      .fill('1');
    await step().getByRole('button', { name: 'Submit answer' }).click();
    const reason = step().getByLabel('Why are you returning the items?');
    await reason.waitFor();
    expect(await panel().getByRole('region', { name: 'Check results' }).count()).toBe(0);
    const runs = (await e.request('GET', `/v1/sop-runs?customerId=${fx.customerId}`)).body.runs;
    const history: { stepId: string; outcome: string }[] = (
      await e.request('GET', `/v1/sop-runs/${runs[0].id}/history`)
    ).body.steps;
    expect(history.map((s) => `${s.stepId}:${s.outcome}`)).toEqual([
      'email:next',
      'customer:next',
      'found:next',
      'knows_order:next',
      'route_order:case 1',
      'order_ref:next',
      'order:next',
      'own_order:next',
      'items:next',
      'item:next',
      'shipped:case 1',
      'package:next',
      'delivered:next',
      'eligibility:next',
      'eligible:next',
    ]);
    await reason.selectOption({ label: 'Damaged' });
    await step().getByRole('button', { name: 'Submit answer' }).click();
  });

  it('previews initiate_return — what is refunded and that shipping is not — before anything changes', async () => {
    const preview = step().getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('1 × Desk lamp — Black');
    expect(await preview.textContent()).toContain('Shipping fees will not be refunded');
    // The step's Markdown instructions: `initiate_return` is shown as code, not with its backticks.
    expect(await step().locator('.instructions code').allTextContents()).toContain('initiate_return');
    expect(await step().locator('.instructions').textContent()).not.toContain('`');
    const order = (await e.request('GET', `/v1/orders/${encodeURIComponent(fx.orderName)}`)).body;
    expect(JSON.stringify(order)).not.toContain('RT-');
    await shot(page, 'sop-handling-returns-confirm');
  });

  it('confirms, and shows the agent the RT-… tracking id with both disclosures', async () => {
    await step()
      .getByRole('button', { name: /^(Confirm|Start the return)/ })
      .click();
    await expect.poll(() => said().textContent()).toMatch(/Your return tracking id is RT-[A-Z0-9]+/);
    const text = (await said().textContent()) ?? '';
    trackingId = /RT-[A-Z0-9]+/.exec(text)?.[0] ?? '';
    const disclosures = await said().locator('.disclosure').allTextContents();
    expect(disclosures).toEqual([
      'Shipping fees will not be refunded; only the item cost will be refunded.',
      'The return will be approved first, and only then will the pickup of the item begin.',
    ]);
    const ret = await e.request('GET', `/v1/returns/${trackingId}`);
    expect(ret.status).toBe(200);
    expect(ret.body).toMatchObject({ trackingId, orderId: fx.orderId, reason: 'DAMAGED' });
    await expect.poll(() => page.getByRole('list', { name: 'Messages' }).textContent()).toContain(trackingId);
    await shot(page, 'sop-handling-returns-tracking-id');
  });

  it('asks whether the customer is happy and, on yes, completes the run', async () => {
    const happy = step().getByRole('group', { name: 'Are you happy with how your return has been handled?' });
    await happy.waitFor();
    await happy.getByRole('button', { name: 'Yes' }).click();
    await expect
      .poll(() =>
        panel()
          .getByLabel(/^Run status:/)
          .textContent(),
      )
      .toBe('Completed');
    expect(await said().textContent()).toContain('Thank you for contacting us.');
    const runs = (await e.request('GET', `/v1/sop-runs?customerId=${fx.customerId}`)).body.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      sopId: 'handling-returns',
      status: 'completed',
      conversationId: fx.conversationId,
    });
    const history = JSON.stringify((await e.request('GET', `/v1/sop-runs/${runs[0].id}/history`)).body);
    expect(history).toContain(trackingId);
  });
});

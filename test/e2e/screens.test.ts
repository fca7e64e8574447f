/**
 * The main screens on the demo store (docs/demo-store.md), for docs/screenshots (`npm run screenshots`):
 * the inbox list, a conversation with the customer sidebar, an action preview, the SOP panel (Handling Returns at
 * its tracking id), the handoff queue.
 * Each shot follows a check that the screen shows what it should, so a broken screen fails here, not in the docs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;
const customers: Record<string, string> = {};

async function customerId(email: string): Promise<string> {
  const r = await e.request('GET', `/v1/customers?email=${encodeURIComponent(email)}`);
  return r.body.customers[0].id;
}

async function conversation(
  email: string,
  channel: string,
  subject: string,
  body: string,
  orderIds: string[],
  tags: string[] = [],
) {
  customers[email] ??= await customerId(email);
  const r = await e.request('POST', '/v1/conversations', {
    customerId: customers[email],
    channel,
    subject,
    body,
    orderIds,
    tags,
  });
  expect(r.status).toBe(201);
  return r.body as { id: string };
}

beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.ctx, { customers: 10, orders: 40, seed: 'sopdesk' }, { actor: { kind: 'system', id: 'demo' } });
  await conversation(
    'mohammed@example.com',
    'chat',
    'Bought BoardReview 2.0 instead of 3.0',
    'I bought the 2.0 edition by mistake, I need 3.0 for my exam.',
    ['#1001'],
  );
  await conversation(
    'kogan.buyer@example.com',
    'kogan',
    'Refund for my order',
    'Kogan ticket: the customer asks for a refund of ESG-58231467.',
    ['#1002'],
  );
  await conversation(
    'partial.paid@example.com',
    'email',
    'Where are my other mugs?',
    'Only two of my five mugs arrived.',
    ['#1003'],
  );
  const ai = await e.token('ai_agent', 'returns-bot');
  const g = await conversation(
    'giftcard@example.com',
    'chat',
    'Refund to my gift card',
    'Can the refund go back to my gift card?',
    ['#1011'],
  );
  await e.request(
    'POST',
    '/v1/handoffs',
    {
      customerId: customers['giftcard@example.com'],
      conversationId: g.id,
      customerVerified: true,
      orderId: '#1011',
      summary: 'Customer wants the card part of the refund on her gift card as well; needs a person to agree to it.',
      done: ['Found order #1011: $20 on a gift card, the rest by card'],
      refused: [
        {
          action: 'refund_order',
          reason: 'needs_agreement',
          why: 'Refunds go back to the original payment methods unless the customer asks otherwise.',
        },
      ],
    },
    ai,
  );
  await conversation(
    'returns@example.com',
    'email',
    'My shoes are too small',
    'Hi, the running shoes from my last order are too small. Can I send them back?',
    ['#1004'],
    ['returns'],
  );
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
});
afterAll(() => e.close());

describe('main screens on the demo store', () => {
  it('the inbox list', async () => {
    const list = page.getByRole('list', { name: 'Conversation list' });
    // The demo's own conversations and the five above: every conversation still to work on is listed.
    const { openWork } = (await e.request('GET', '/v1/conversations/counts')).body;
    expect(openWork).toBeGreaterThanOrEqual(5);
    await expect.poll(() => list.getByRole('link').count()).toBe(openWork);
    await shot(page, 'screen-inbox');
  });

  it('a conversation with the customer sidebar', async () => {
    await page
      .getByRole('list', { name: 'Conversation list' })
      .getByRole('link', { name: /My shoes are too small/ })
      .click();
    const order = page.getByRole('article', { name: 'Order #1004' });
    await expect
      .poll(() => order.getByRole('list', { name: 'Statuses of order #1004' }).textContent())
      .toContain('Paid');
    await shot(page, 'screen-conversation');
  });

  it('an action preview: a return with what is refunded and that shipping is not', async () => {
    const card = page.getByRole('article', { name: 'Order #1004' });
    await card.getByRole('button', { name: 'Return', exact: true }).click();
    const form = card.getByRole('form', { name: 'Return order #1004' });
    await form.getByRole('spinbutton').last().fill('1');
    await form.getByLabel('Reason').selectOption({ label: 'Defective' });
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = form.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('Shipping fees will not be refunded');
    await preview.scrollIntoViewIfNeeded();
    await shot(page, 'screen-action-preview');
    await form.getByRole('button', { name: 'Close' }).click();
  });

  it('the SOP panel', async () => {
    await page.getByRole('tab', { name: 'Procedures' }).click();
    const panel = page.getByRole('region', { name: 'Procedures' });
    await panel.getByLabel('Procedure', { exact: true }).selectOption({ label: 'Handling Returns' });
    await panel.getByRole('button', { name: 'Start' }).click();
    const step = panel.getByRole('region', { name: 'What you do now' });
    // The customer's email and the linked order (#1004) come from the conversation: those steps are answered.
    await step
      .getByRole('group', { name: 'Do you have the order number?' })
      .getByRole('button', { name: 'Yes' })
      .click();
    await step.getByRole('spinbutton').last().fill('1');
    await step.getByRole('button', { name: 'Submit answer' }).click();
    await step.getByLabel('Why are you returning the items?').selectOption({ label: 'Defective' });
    await step.getByRole('button', { name: 'Submit answer' }).click();
    await step.getByRole('button', { name: /^(Confirm|Start the return)/ }).click();
    const said = panel.getByRole('region', { name: 'Say to the customer' });
    await expect.poll(() => said.textContent()).toMatch(/Your return tracking id is RT-[A-Z0-9]+/);
    expect(await said.textContent()).toContain('Shipping fees will not be refunded');
    expect(await panel.getByLabel(/^Run status:/).textContent()).toBe('In progress');
    await expect.poll(() => page.getByRole('list', { name: 'Messages' }).textContent()).toMatch(/tracking id is RT-/);
    await shot(page, 'screen-sop-panel');
  });

  it('the handoff queue', async () => {
    await page.getByRole('link', { name: 'Handoff queue' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Handoffs' }).textContent()).toContain('gift card');
    await shot(page, 'screen-handoff-queue');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { openConversationByEmail, reasonOf, shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let fx: InboxFixture;
let agentToken: string;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  await e.request('POST', '/v1/macros', {
    name: 'Return instructions',
    body: 'Hi {{customer.firstName}}, for order {{order.name}} please keep the lamp in its box; we will send a return label.',
  });
  agentToken = await e.token('agent', 'Alex');
  page = await e.newPage();
});
afterAll(() => e.close());

describe('Agent Inbox in a browser', () => {
  it('refuses a wrong token, then signs in with an API token', async () => {
    await page.goto(e.url + '/');
    await shot(page, 'sign-in');
    await page.getByLabel('API token').fill('sdk_not_a_real_token_at_all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not work');
    await signIn(page, e.url, agentToken);
    expect(await page.getByText('Signed in as').textContent()).toContain('Alex');
  });

  it('finds a conversation by customer email and reads the sidebar: Partially paid, Partially fulfilled, a tracking link', async () => {
    await openConversationByEmail(page, fx.customer.email);
    await page.getByRole('heading', { name: 'My lamps arrived broken' }).waitFor();
    const order = page.getByRole('article', { name: `Order ${fx.partialOrder.name}` });
    const labels = order.getByRole('list', { name: `Statuses of order ${fx.partialOrder.name}` });
    await expect.poll(() => labels.textContent()).toContain('Partially paid');
    expect(await labels.textContent()).toContain('Partially fulfilled');
    expect(await labels.textContent()).toContain('Open');
    const track = order.getByRole('link', { name: /Track Desk lamp/ });
    expect(await track.getAttribute('href')).toBe('https://track.example/AP100');
    expect(await order.getByText('$105.00').count()).toBeGreaterThan(0); // 5 × $20 + $5 shipping
    const unpaid = page.getByRole('article', { name: `Order ${fx.unpaidOrder.name}` });
    expect(await unpaid.getByRole('list', { name: /Statuses/ }).textContent()).toContain('Unpaid');
    await shot(page, 'conversation');
  });

  it('shows each order action enabled only when the server offers its tool, and "not available" otherwise', async () => {
    const tools = (await e.request('GET', '/v1/tools')).body;
    const names = new Set<string>(
      tools?.tools?.map((t: any) => t.name) ?? (Array.isArray(tools) ? tools.map((t: any) => t.name) : []),
    );
    const actions = page.getByRole('region', { name: `Actions on order ${fx.partialOrder.name}` });
    for (const [label, tool] of [
      ['Cancel', 'cancel_order'],
      ['Refund', 'refund_order'],
      ['Return', 'initiate_return'],
      ['Exchange', 'exchange_items'],
      ['Swap product', 'swap_purchased_product'],
    ] as const) {
      const button = actions.getByRole('button', { name: label, exact: true });
      if (!names.has(tool)) {
        expect(await button.getAttribute('aria-disabled')).toBe('true');
        expect(await reasonOf(button)).toBe('Not available on this server.');
      }
    }
  });

  it('replies with a macro (placeholders filled) and adds an internal note', async () => {
    // The macro picker: found by typing part of its name, inserted with Enter.
    await page.getByRole('button', { name: 'Insert macro' }).click();
    const find = page.getByRole('combobox', { name: 'Find a macro' });
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe('Find a macro');
    await find.fill('return instr');
    await expect
      .poll(() => page.getByRole('listbox', { name: 'Macros' }).getByRole('option').allTextContents())
      .toEqual(['Return instructions']);
    await find.press('Enter');
    const box = page.getByRole('textbox', { name: 'Reply' });
    await expect.poll(() => box.inputValue()).toContain(`Hi Mohammed, for order ${fx.partialOrder.name}`);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const thread = page.getByRole('list', { name: 'Messages' });
    await expect.poll(() => thread.textContent()).toContain('please keep the lamp in its box');
    // No SMTP configured: the outbox keeps the reply in the thread.
    await page.reload();
    await expect.poll(() => thread.locator('.msg.outbound').last().textContent()).toContain('in thread (not emailed)');
    await page.getByLabel('Internal note').check();
    await page.getByRole('textbox', { name: 'Internal note' }).fill('Photos show a cracked base; approve the return.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => thread.locator('.msg.note').last().textContent()).toContain('cracked base');
    const api = (await e.request('GET', `/v1/conversations/${fx.conversation.id}`)).body;
    expect(api.messages.map((m: any) => m.kind)).toEqual(['inbound', 'outbound', 'note']);
    expect(api.messages[1].authorName).toBe('Alex');
    await shot(page, 'reply-and-note');
  });

  it('shows the timeline with the conversation activity, filterable', async () => {
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const tl = page.getByRole('region', { name: 'Activity timeline' });
    await expect.poll(() => tl.textContent()).toContain('Note: Photos show a cracked base');
    await tl.getByLabel('Show').selectOption({ label: 'Orders, payments, shipments' });
    // The filtered page replaces the list once it has loaded (empty while it loads): its order event, and no note.
    const filtered = async () => {
      const text = (await tl.textContent()) ?? '';
      return text.includes(`Order ${fx.partialOrder.name} placed`) && !text.includes('Note:');
    };
    await expect.poll(filtered).toBe(true);
    await shot(page, 'timeline');
    await page.getByRole('tab', { name: 'Orders' }).click();
  });

  it('takes over a handoff created by the AI agent with transfer_to_human_representative, and resolves it', async () => {
    const ai = await e.token('ai_agent', 'returns-bot');
    const h = await e.request(
      'POST',
      '/v1/handoffs',
      {
        customerId: fx.customer.id,
        conversationId: fx.conversation.id,
        customerVerified: true,
        orderId: fx.partialOrder.name,
        summary: 'Customer is not satisfied with the return process and wants a refund before sending the lamps back.',
        done: ['Checked return eligibility: 2 × Desk lamp eligible'],
        refused: [
          {
            action: 'refund_order',
            reason: 'return_not_received',
            why: 'Delivered returnable items are refunded once their return is received.',
          },
        ],
      },
      ai,
    );
    expect(h.status).toBe(201);
    await page.getByRole('link', { name: 'Handoff queue' }).click();
    const queue = page.getByRole('list', { name: 'Handoffs' });
    await expect.poll(() => queue.textContent()).toContain('not satisfied with the return process');
    expect(await queue.textContent()).toContain('return_not_received');
    await shot(page, 'handoff-queue');
    await queue.getByRole('button', { name: 'Take over Mohammed Ali' }).click();
    await page.getByRole('list', { name: 'Messages' }).waitFor();
    const card = page.getByRole('region', { name: 'Handoff from the AI agent' });
    await expect.poll(() => card.textContent()).toContain('taken by Alex');
    expect(await card.textContent()).toContain(
      'Delivered returnable items are refunded once their return is received.',
    );
    await page.getByLabel('Status: Open').waitFor();
    await shot(page, 'handoff-taken');
    await page.getByRole('textbox', { name: 'Reply' }).fill('Hi Mohammed, I am Alex and I will take it from here.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await card.getByRole('button', { name: 'Resolve handoff' }).click();
    await expect.poll(() => page.getByLabel(/^Status: /).textContent()).toBe('Resolved');
    const after = (await e.request('GET', `/v1/handoffs/${h.body.id}`)).body;
    expect(after).toMatchObject({ status: 'resolved', takenBy: 'Alex' });
    expect((await e.request('GET', `/v1/conversations/${fx.conversation.id}`)).body.status).toBe('resolved');
  });

  it('is usable from the keyboard: the search box, filters and conversations are reachable with Tab', async () => {
    await page.goto(e.url + '/#/');
    await page.getByRole('searchbox').waitFor();
    const reached = new Set<string>();
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      reached.add(
        (await page.evaluate(
          '(() => { const a = document.activeElement; return `${a?.tagName}:${a?.getAttribute("id") ?? a?.textContent?.slice(0, 20)}`; })()',
        )) as string,
      );
    }
    expect([...reached].some((x) => x === 'INPUT:q')).toBe(true);
    expect([...reached].filter((x) => x.startsWith('SELECT')).length).toBeGreaterThanOrEqual(3);
    await shot(page, 'inbox');
  });

  it('saves a macro on the Settings page, and the reply box offers it', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New macro' });
    await form.getByLabel('Name').fill('Tracking link');
    await form.getByLabel('Text').fill('Hi {{customer.firstName}}, your order {{order.name}} is on its way.');
    await form.getByRole('button', { name: 'Save macro' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Macros' }).textContent()).toContain('Tracking link');
    const bad = page.getByRole('form', { name: 'New macro' });
    await bad.getByLabel('Name').fill('Typo');
    await bad.getByLabel('Text').fill('Hi {{customer.nmae}}');
    await bad.getByRole('button', { name: 'Save macro' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Macros' }).getByRole('status').textContent())
      .toContain('unknown placeholder {{customer.nmae}}');
    expect(
      await page.getByRole('form', { name: 'Template refund.issued' }).getByLabel('Subject').getAttribute('readonly'),
    ).not.toBeNull();
    await shot(page, 'macros-and-templates');
    await page.goto(`${e.url}/#/c/${fx.conversation.id}`);
    // Two macros now: the arrow keys move to the second, Enter inserts it, and the reply box has the focus.
    await page.getByRole('button', { name: 'Insert macro' }).click();
    const find = page.getByRole('combobox', { name: 'Find a macro' });
    const options = page.getByRole('listbox', { name: 'Macros' }).getByRole('option');
    await expect.poll(() => options.allTextContents()).toEqual(['Return instructions', 'Tracking link']);
    await find.press('ArrowDown');
    await expect.poll(() => options.nth(1).getAttribute('aria-selected')).toBe('true');
    await find.press('Enter');
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Reply' }).inputValue())
      .toContain(`your order ${fx.partialOrder.name} is on its way`);
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('composer-text');
    await page.getByRole('textbox', { name: 'Reply' }).fill('');
  });

  it('signs out: the session cookie no longer works', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to sopdesk' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/v1/conversations')).status);
    expect(status).toBe(401);
  });
});

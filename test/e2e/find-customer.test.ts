/**
 * A fresh install with the demo store and no conversation yet: an agent finds a customer by email from the inbox's
 * search box, writes to them first (a new email conversation), links an order, and finds the conversation again by
 * the customer's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { ok, shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.ctx, { customers: 10, orders: 40, seed: 'sopdesk' }, { actor: { kind: 'system', id: 'demo' } });
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
});
afterAll(() => e.close());

describe('find a customer and start a conversation', () => {
  it('finds mohammed@example.com on a fresh install and writes to him first, by email', async () => {
    const search = page.getByRole('searchbox', { name: 'Find a customer, an order or a conversation' });
    await search.fill('mohammed@example.com');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const customers = page.getByRole('list', { name: 'Customers' });
    await customers.getByText('mohammed@example.com').waitFor();
    await shot(page, 'find-customer');
    await customers.getByRole('button', { name: 'New conversation' }).click();
    await page.getByLabel('Subject').fill('Your BoardReview order');
    await page.getByLabel('Message').fill('Hi Mohammed, about your order #1001: the 3.0 edition is on its way.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('heading', { name: 'Your BoardReview order' }).waitFor();
    const thread = page.getByRole('list', { name: 'Messages' });
    await expect.poll(() => thread.textContent()).toContain('the 3.0 edition is on its way');
  });

  it('links an order to the conversation and unlinks it', async () => {
    const linked = page.getByRole('group', { name: 'Linked orders' });
    await linked.getByLabel('Order number or reference').fill('#1001');
    await linked.getByRole('button', { name: 'Link' }).click();
    await linked.getByRole('button', { name: 'Unlink order #1001' }).waitFor();
    await linked.getByRole('button', { name: 'Unlink order #1001' }).click();
    await expect.poll(() => linked.textContent()).toContain('none linked');
  });

  it('finds the conversation in the list by the customer’s name, counted as open work', async () => {
    const search = page.getByRole('searchbox', { name: 'Find a customer, an order or a conversation' });
    await search.fill('mohammed');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const list = page.getByRole('list', { name: 'Conversation list' });
    await expect.poll(() => list.textContent()).toContain('Your BoardReview order');
    // The demo's own conversations and the new one: the nav counts what the API counts as open work.
    const { openWork } = await ok(e.request('GET', '/v1/conversations/counts'));
    expect(openWork).toBeGreaterThan(1);
    await expect.poll(() => page.getByRole('link', { name: /^Inbox/ }).textContent()).toBe(`Inbox (${openWork})`);
  });
});

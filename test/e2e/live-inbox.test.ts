/**
 * The inbox is live: a message written through the API appears in the open conversation and a new conversation in the
 * list, without a reload and well before any refetch interval (the inbox no longer polls for them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { ok, openConversationByEmail, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let fx: InboxFixture;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
});
afterAll(() => e.close());

/** Well under the slow safety refetch of an open conversation (30 s): only the live events can be this quick. */
const LIVE = { timeout: 5_000 };

describe('the live inbox', () => {
  it('shows a customer message written through the API in the open conversation, without a reload', async () => {
    await openConversationByEmail(page, fx.customer.email);
    const thread = page.getByRole('list', { name: 'Messages' });
    await ok(
      e.request('POST', '/v1/conversations/inbound', {
        customerId: fx.customer.id,
        conversationId: fx.conversation.id,
        body: 'Any news about the lamps? (sent while the page was open)',
      }),
    );
    await expect.poll(() => thread.textContent(), LIVE).toContain('sent while the page was open');
  });

  it("lists a new customer's new conversation, without a reload", async () => {
    await page.getByRole('searchbox', { name: 'Find a customer, an order or a conversation' }).fill('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const list = page.getByRole('list', { name: 'Conversation list' });
    await list.getByRole('link').first().waitFor();
    const jordan = await ok(e.request('POST', '/v1/customers', { name: 'Jordan Lee', emails: ['jordan@example.com'] }));
    await ok(
      e.request('POST', '/v1/conversations/inbound', {
        customerId: jordan.id,
        channel: 'chat',
        subject: 'Returning the T-shirt',
        body: 'Hi, the T-shirt is too small. Can I return it?',
      }),
    );
    await expect.poll(() => list.textContent(), LIVE).toContain('Returning the T-shirt');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { shot, signIn, startE2E, type E2E } from './support.js';
import { newId } from '../../src/kernel/ids.js';

let e: E2E;
let fx: InboxFixture;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  page = await e.newPage();
});
afterAll(() => e.close());

describe('Failed deliveries in the Agent Inbox', () => {
  it('lists a confirmation the outbox gave up, with its error, customer and attempts, and retries it into the thread', async () => {
    // A refund confirmation given up after its last attempt, as the outbox leaves one (see test/db/outbox-retry.test.ts).
    const id = newId('outbox');
    const payload = {
      eventId: newId('event'),
      customerId: fx.customer.id,
      orderId: fx.partialOrder.id,
      data: { amount: 2000, currency: 'USD', reason: 'DAMAGED' },
    };
    await e.ctx.database.db.execute(sql`
      insert into outbox (id, topic, payload, customer_id, created_at, attempts, last_error, failed_at)
      values (${id}, 'refund.issued', ${JSON.stringify(payload)}::jsonb, ${fx.customer.id}, now(), 8, 'template store unreachable', now())`);

    await signIn(page, e.url, await e.token('agent', 'Alex'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed deliveries' }).click();
    const list = page.getByRole('list', { name: 'Failed deliveries' });
    await expect.poll(() => list.textContent()).toContain('template store unreachable');
    const text = await list.textContent();
    expect(text).toContain('Confirmation (refund issued)');
    expect(text).toContain('Mohammed Ali');
    expect(text).toContain(`order ${fx.partialOrder.name}`);
    expect(text).toContain('8 attempts');
    await shot(page, 'failed-deliveries');

    await page.getByRole('button', { name: 'Retry confirmation (refund issued) for Mohammed Ali' }).click();
    await expect.poll(() => page.getByText(/is queued again/).count()).toBe(1);
    await page.getByText('Nothing has failed.').waitFor();
    // The outbox worker delivers it: the confirmation is written into the customer's conversation.
    await expect
      .poll(async () =>
        (await e.request('GET', `/v1/conversations/${fx.conversation.id}`)).body.messages
          .map((m: { body: string }) => m.body)
          .join('\n'),
      )
      .toContain('We have refunded $20.00');
  });

  it('is not offered to a viewer', async () => {
    const viewer = await e.newPage();
    await signIn(viewer, e.url, await e.token('viewer', 'Vic'));
    expect(
      await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Failed deliveries' }).count(),
    ).toBe(0);
  });
});

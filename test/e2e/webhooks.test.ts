/**
 * Settings → Webhooks in a browser (docs/webhooks.md): an admin subscribes two local receivers — real HTTP servers
 * started here — to conversation status changes, sees each signing secret once, resolves a conversation in the inbox,
 * and reads the deliveries in each subscription's log: one receiver took it (verified with the `standardwebhooks`
 * package, on real time), the other failed until it was disabled; once it is fixed, Enable queues its delivery again
 * and it arrives. The deliveries are sent by the webhook worker `sopdesk start` runs, started here beside the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { startWebhookWorker } from '../../src/app/webhooks/deliver-webhooks.js';
import { httpWebhookSender } from '../../src/connectors/webhooks/http-sender.js';
import { systemClock } from '../../src/kernel/clock.js';
import { startWebhookReceiver, type Received, type WebhookReceiver } from '../support/webhook-receiver.js';
import { ok, openConversationByEmail, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;
let worker: { stop(): Promise<void> };
let good: WebhookReceiver;
let flaky: WebhookReceiver;
let flakyUp = false;
const secrets: Record<string, string> = {};
const EMAIL = 'hook.watcher@example.com';

beforeAll(async () => {
  e = await startE2E();
  good = await startWebhookReceiver();
  flaky = await startWebhookReceiver({ respond: () => ({ status: flakyUp ? 204 : 500 }) });
  // On real time, so the receiver's own check of webhook-timestamp (5 minutes) applies; retried after 200 ms, and
  // disabled after 2 failed attempts in a row (20 by default).
  worker = startWebhookWorker(
    { ...e.ctx, clock: systemClock, webhookDisableAfter: 2 },
    {
      sender: httpWebhookSender({ allowPrivate: true }),
      intervalMs: 100,
      retrySchedule: [200, 200, 200],
      timeoutMs: 5_000,
    },
  );
  const customer = await ok(e.request('POST', '/v1/customers', { name: 'Hana Watcher', emails: [EMAIL] }));
  await ok(
    e.request('POST', '/v1/conversations', {
      customerId: customer.id,
      channel: 'email',
      subject: 'Is my parcel on its way?',
      body: 'Hello, just checking on my order.',
    }),
  );
  page = await e.newPage();
  await signIn(page, e.url, await e.token('admin', 'Sam'));
});
afterAll(async () => {
  await worker.stop();
  await Promise.all([good.close(), flaky.close()]);
  await e.close();
});

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
const webhooks = () => page.getByRole('region', { name: 'Webhooks' });
const row = (url: string) => webhooks().getByRole('row').filter({ hasText: url });
const deliveryLog = () => webhooks().getByRole('table', { name: 'Delivery log' });
/** The Settings page again: the subscriptions and their log as the server has them now. */
async function reopenSettings() {
  await nav('Inbox').click();
  await nav('Settings').click();
  await webhooks().waitFor();
}
/** The delivery log of one subscription, read afresh. */
async function logOf(url: string): Promise<string> {
  await reopenSettings();
  await webhooks()
    .getByRole('button', { name: `Deliveries of ${url}` })
    .click();
  await expect.poll(() => deliveryLog().getByRole('row').count()).toBeGreaterThan(1);
  return (await deliveryLog().textContent()) ?? '';
}
const verified = (r: Received, secret: string) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
    type: string;
    data: { from: string; to: string };
  };

describe('webhook subscriptions in Settings', () => {
  it('subscribes a receiver to conversation status changes and shows its secret once', async () => {
    await nav('Settings').click();
    for (const [rx, description] of [
      [good, 'Data warehouse'],
      [flaky, 'Helpdesk mirror'],
    ] as const) {
      const form = webhooks().getByRole('form', { name: 'Add a webhook' });
      await form.getByLabel('URL').fill(rx.url);
      await form.getByLabel('Description').fill(description);
      await form.getByRole('checkbox', { name: 'conversation.status_changed' }).check();
      await form.getByRole('button', { name: 'Subscribe' }).click();
      const shown = webhooks().getByRole('status').filter({ hasText: 'Signing secret of the new subscription' });
      await expect.poll(() => shown.textContent()).toMatch(/shown once.*whsec_/);
      secrets[rx.url] = /whsec_[A-Za-z0-9+/=]+/.exec((await shown.textContent()) ?? '')![0];
      await expect.poll(() => row(rx.url).textContent()).toContain('conversation.status_changed');
      expect(await row(rx.url).textContent()).toContain(description);
    }
    expect(secrets[good.url]).not.toBe(secrets[flaky.url]);
    // Shown once: back on the page, neither secret is anywhere.
    await reopenSettings();
    await expect.poll(() => row(good.url).textContent()).toContain('Enabled');
    const text = (await webhooks().textContent()) ?? '';
    expect(text).not.toContain(secrets[good.url]);
    expect(text).not.toContain(secrets[flaky.url]);
  });

  it('delivers a status change made in the inbox, signed per Standard Webhooks', async () => {
    await nav('Inbox').click();
    await openConversationByEmail(page, EMAIL);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByRole('status', { name: /^Status:/ }).textContent()).toBe('Resolved');

    await expect.poll(() => good.received.length).toBe(1);
    const event = verified(good.received[0]!, secrets[good.url]!);
    expect(event).toMatchObject({ type: 'conversation.status_changed', data: { from: 'open', to: 'resolved' } });
    // The other receiver's secret does not verify it.
    expect(() => verified(good.received[0]!, secrets[flaky.url]!)).toThrow();
  });

  it("shows the delivery in the subscription's log with its outcome", async () => {
    const eventId = String(good.received[0]!.headers['webhook-id']);
    await expect.poll(() => logOf(good.url)).toContain(`conversation.status_changed ${eventId}`);
    const delivered = deliveryLog().getByRole('row').filter({ hasText: eventId });
    expect(await delivered.textContent()).toMatch(/delivered · HTTP 204/);
  });

  it('disables the subscription whose receiver keeps failing, and shows why', async () => {
    await expect.poll(() => flaky.received.length).toBe(2);
    await expect
      .poll(async () => {
        await reopenSettings();
        return row(flaky.url).textContent();
      })
      .toContain('2 consecutive failed attempts');
    expect(await row(flaky.url).textContent()).toMatch(/Disabled/);
    expect(await row(good.url).textContent()).toContain('Enabled');
    const log = await logOf(flaky.url);
    expect(log).toContain('failed · HTTP 500');
  });

  it('re-enables it: its given-up delivery is queued again and arrives', async () => {
    flakyUp = true;
    await webhooks()
      .getByRole('button', { name: `Enable ${flaky.url}` })
      .click();
    await expect
      .poll(() => webhooks().getByRole('status').filter({ hasText: 'Enabled' }).textContent())
      .toBe(`Enabled ${flaky.url}; its given-up deliveries are queued again.`);
    await expect.poll(() => row(flaky.url).textContent()).toMatch(/Enabled/);
    expect(
      await webhooks()
        .getByRole('button', { name: `Disable ${flaky.url}` })
        .count(),
    ).toBe(1);

    await expect.poll(() => flaky.received.length).toBe(3);
    const again = flaky.received[2]!;
    expect(verified(again, secrets[flaky.url]!)).toMatchObject({ type: 'conversation.status_changed' });
    // The same event as the failed attempts: a receiver deduplicates by webhook-id.
    expect(again.headers['webhook-id']).toBe(flaky.received[0]!.headers['webhook-id']);
    await expect.poll(() => logOf(flaky.url)).toMatch(/delivered · HTTP 204/);
    expect(good.received).toHaveLength(1);
  });
});

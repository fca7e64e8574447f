/**
 * Outbound webhooks: subscriptions over the API (admins), one delivery per subscribed event written in the event's
 * transaction, Standard Webhooks signatures, retries on the outbox's schedule, the delivery log, disabling after
 * consecutive failures and re-enabling — against real local HTTP receivers (private addresses allowed, as
 * SOPDESK_WEBHOOK_ALLOW_PRIVATE=true does) — and, without that setting, receivers' URLs screened against server-side
 * request forgery when a subscription is made or changed and again at each delivery.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { startWebhookReceiver, signatureValid, type WebhookReceiver } from '../support/webhook-receiver.js';
import { rows } from '../../src/db/database.js';
import { write } from '../../src/app/write.js';
import { deliverWebhooks, startWebhookWorker } from '../../src/app/webhooks/deliver-webhooks.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { httpWebhookSender } from '../../src/connectors/webhooks/http-sender.js';
import { systemClock } from '../../src/kernel/clock.js';
import type { HostLookup } from '../../src/app/webhooks/sender.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  // The receivers here are local: private addresses are allowed, as SOPDESK_WEBHOOK_ALLOW_PRIVATE=true does.
  ctx = { ...(await openTestContext()), webhookReceivers: { allowPrivate: true } };
  api = await testApi(ctx, 'admin');
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await ctx.drop();
});
beforeEach(async () => {
  await ctx.database.db.execute(sql`delete from webhook_subscriptions`);
  await ctx.database.db.execute(sql`delete from outbox`);
});

const receiver = async (...a: Parameters<typeof startWebhookReceiver>) => {
  const r = await startWebhookReceiver(...a);
  receivers.push(r);
  return r;
};

let n = 0;
/** An accepted write that records one conversation.status_changed event; `fail` rolls it back. */
const statusChanged = (fail = false) =>
  write(ctx, 'test_status', null, { actor: { kind: 'human', id: 'alex' } }, async ({ record }) => {
    await record({
      type: 'conversation.status_changed',
      customerId: null,
      data: { conversationId: `cnv_${++n}`, from: 'open', to: 'resolved' },
    });
    if (fail) throw new Error('rolled back');
  });

const subscribe = async (url: string, eventTypes = ['conversation.status_changed'], extra = {}) => {
  const r = await api.request('POST', '/v1/webhooks', { url, eventTypes, ...extra });
  expect(r.status).toBe(201);
  return r.body as { id: string; secret: string };
};

const webhookRows = () =>
  rows<{ id: string; payload: { subscriptionId: string; eventId: string }; customer_id: string | null }>(
    ctx.database.db,
    sql`select id, payload, customer_id from outbox where topic = 'webhook.delivery' order by seq`,
  );

const opts = { sender: httpWebhookSender({ allowPrivate: true }), retrySchedule: [60_000, 120_000], random: () => 0.5 };

describe('webhook subscriptions over the API', () => {
  it('an admin creates one (the secret answered once), lists, changes and deletes it', async () => {
    const made = await api.request(
      'POST',
      '/v1/webhooks',
      { url: 'https://hooks.example/in', eventTypes: ['refund.issued', 'order.canceled'], description: 'Warehouse' },
      { 'idempotency-key': 'wh-1' },
    );
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    expect(made.body).toMatchObject({ enabled: true, consecutiveFailures: 0, secretHint: made.body.secret.slice(-4) });
    const again = await api.request(
      'POST',
      '/v1/webhooks',
      { url: 'https://hooks.example/in', eventTypes: ['refund.issued', 'order.canceled'], description: 'Warehouse' },
      { 'idempotency-key': 'wh-1' },
    );
    expect(again.body).toEqual(made.body);
    const list = await api.request('GET', '/v1/webhooks');
    expect(list.body.webhooks).toHaveLength(1);
    expect(list.body.webhooks[0]).not.toHaveProperty('secret');

    const changed = await api.request('PATCH', `/v1/webhooks/${made.body.id}`, { eventTypes: ['return.requested'] });
    expect(changed.status).toBe(200);
    expect(changed.body.eventTypes).toEqual(['return.requested']);
    const rotated = await api.request('PATCH', `/v1/webhooks/${made.body.id}`, { rotateSecret: true });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(made.body.secret);

    expect((await api.request('DELETE', `/v1/webhooks/${made.body.id}`)).status).toBe(200);
    expect((await api.request('GET', `/v1/webhooks/${made.body.id}`)).status).toBe(404);
  });

  it('refuses a bad URL, an unknown event type and a malformed secret, naming the field; changes nothing', async () => {
    const bad = [
      [{ url: 'ftp://x.example', eventTypes: ['refund.issued'] }, 'url'],
      [{ url: 'https://u:p@x.example', eventTypes: ['refund.issued'] }, 'url'],
      [{ url: 'https://x.example', eventTypes: ['refund.made'] }, 'eventTypes.0'],
      [{ url: 'https://x.example', eventTypes: [] }, 'eventTypes'],
      [{ url: 'https://x.example', eventTypes: ['refund.issued'], secret: 'hunter2' }, 'secret'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await api.request('POST', '/v1/webhooks', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    expect((await api.request('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
  });

  it('is for admins only', async () => {
    const agent = await api.as('agent');
    expect((await agent.request('GET', '/v1/webhooks')).status).toBe(403);
    expect(
      (await agent.request('POST', '/v1/webhooks', { url: 'https://x.example', eventTypes: ['refund.issued'] })).status,
    ).toBe(403);
  });
});

describe('webhook events are written with the change', () => {
  it('one delivery per enabled subscription to the type, in the same transaction, with no customer', async () => {
    const a = await subscribe('https://a.example/in');
    await subscribe('https://b.example/in', ['refund.issued']);
    const off = await subscribe('https://c.example/in', undefined, { enabled: false });
    await statusChanged();
    await expect(statusChanged(true)).rejects.toThrow('rolled back');
    const queued = await webhookRows();
    expect(queued.map((r) => r.payload.subscriptionId)).toEqual([a.id]);
    expect(queued[0]!.customer_id).toBeNull();
    expect(queued.some((r) => r.payload.subscriptionId === off.id)).toBe(false);
  });
});

describe('delivering', () => {
  it('posts the versioned event signed per Standard Webhooks; the delivery log shows it', async () => {
    const rx = await receiver();
    const sub = await subscribe(rx.url);
    await statusChanged();
    expect(await deliverWebhooks(ctx, opts)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0]!;
    expect(signatureValid(got, sub.secret)).toBe(true);
    expect(signatureValid(got, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).toBe(false);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      type: 'conversation.status_changed',
      version: 1,
      timestamp: ctx.clock.now().toISOString(),
      data: { from: 'open', to: 'resolved', customerId: null, actor: { kind: 'human', id: 'alex' } },
    });
    expect(got.headers['webhook-id']).toBe(body.data.eventId);
    expect(got.headers['webhook-timestamp']).toBe(String(ctx.clock.now().getTime() / 1000));
    const log = await api.request('GET', `/v1/webhooks/${sub.id}/deliveries`);
    expect(log.body.attempts).toEqual([
      expect.objectContaining({ eventId: body.data.eventId, attempt: 1, outcome: 'delivered', statusCode: 204 }),
    ]);
  });

  it('a receiver on real time verifies it with the standardwebhooks package', async () => {
    const rx = await receiver();
    const sub = await subscribe(rx.url);
    await statusChanged();
    await deliverWebhooks({ ...ctx, clock: systemClock }, opts);
    const got = rx.received[0]!;
    const verified = new Webhook(sub.secret).verify(got.body, got.headers as Record<string, string>);
    expect(verified).toMatchObject({ type: 'conversation.status_changed' });
  });

  it('a failed attempt is retried after the schedule’s delay under the same webhook-id, until delivered', async () => {
    const rx = await receiver({ respond: (_, k) => ({ status: k === 1 ? 503 : 200 }) });
    const sub = await subscribe(rx.url);
    await statusChanged();
    expect(await deliverWebhooks(ctx, opts)).toMatchObject({ failed: 1 });
    // Not before the delay (60 s ± 20 % jitter; random 0.5 = exactly 60 s).
    ctx.clock.advance(59_000);
    expect((await deliverWebhooks(ctx, opts)).claimed).toBe(0);
    ctx.clock.advance(1_000);
    expect(await deliverWebhooks(ctx, opts)).toMatchObject({ delivered: 1 });
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([
      rx.received[0]!.headers['webhook-id'],
      rx.received[0]!.headers['webhook-id'],
    ]);
    const log = (await api.request('GET', `/v1/webhooks/${sub.id}/deliveries`)).body.attempts;
    expect(log.map((a: { outcome: string; attempt: number }) => [a.outcome, a.attempt])).toEqual([
      ['delivered', 2],
      ['failed', 1],
    ]);
    expect(log[1]).toMatchObject({ statusCode: 503, error: 'the receiver answered HTTP 503' });
    expect((await api.request('GET', `/v1/webhooks/${sub.id}`)).body).toMatchObject({
      consecutiveFailures: 0,
      pending: 0,
    });
  });

  it('a receiver that is down counts as a failed attempt, given up after the last one', async () => {
    const rx = await receiver();
    await rx.close();
    const sub = await subscribe(rx.url);
    await statusChanged();
    for (const wait of [0, 60_000, 120_000]) {
      ctx.clock.advance(wait);
      expect(await deliverWebhooks(ctx, opts)).toMatchObject({ failed: 1 });
    }
    const log = (await api.request('GET', `/v1/webhooks/${sub.id}/deliveries`)).body.attempts;
    expect(log.map((a: { outcome: string }) => a.outcome)).toEqual(['given_up', 'failed', 'failed']);
    expect(log[0].statusCode).toBeNull();
  });

  it('disables a subscription after the set number of consecutive failures; re-enabling queues its deliveries again', async () => {
    const limited = { ...ctx, webhookDisableAfter: 3 };
    let up = false;
    const rx = await receiver({ respond: () => ({ status: up ? 200 : 500 }) });
    const sub = await subscribe(rx.url);
    for (let k = 0; k < 4; k++) await statusChanged();
    // 3 failed attempts (one per delivery, limited to 3 in flight per pass)…
    expect(await deliverWebhooks(limited, { ...opts, perSubscription: 3 })).toMatchObject({ failed: 3 });
    const disabled = (await api.request('GET', `/v1/webhooks/${sub.id}`)).body;
    expect(disabled).toMatchObject({ enabled: false, disabledReason: '3 consecutive failed attempts' });
    const [event] = await rows<{ data: { change: string } }>(
      ctx.database.db,
      sql`select data from timeline_events where type = 'webhook.subscription_changed' order by seq desc limit 1`,
    );
    expect(event!.data.change).toBe('disabled');
    // …so no new event is queued for it, and what was queued is dropped (given up) when claimed.
    await statusChanged();
    ctx.clock.advance(120_000);
    expect(await deliverWebhooks(limited, opts)).toMatchObject({ claimed: 4, delivered: 0 });
    expect(rx.received).toHaveLength(3);

    up = true;
    const enabled = await api.request('POST', `/v1/webhooks/${sub.id}/enable`, undefined, {
      'idempotency-key': 'en-1',
    });
    expect(enabled.body).toMatchObject({ enabled: true, consecutiveFailures: 0, requeued: 4 });
    expect(await deliverWebhooks(limited, { ...opts, perSubscription: 10 })).toMatchObject({ delivered: 4 });
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(4);
  });
});

describe('a slow receiver', () => {
  it('(1 s per delivery) holds back neither another subscription nor the other outbox topics', async () => {
    const slow = await receiver({ respond: () => ({ status: 200, delayMs: 1000 }) });
    const fast = await receiver();
    await subscribe(slow.url);
    await subscribe(fast.url);
    for (let k = 0; k < 8; k++) await statusChanged();
    const started = Date.now();
    const worker = startWebhookWorker(ctx, { ...opts, intervalMs: 50, concurrency: 8, perSubscription: 2 });
    try {
      while (fast.received.length < 8 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 10));
      // The events' own outbox rows (their topic) go out meanwhile too: 8 events and the 2 subscriptions' own
      // webhook.subscription_changed events.
      const other = await dispatchOutbox(ctx);
      // The slow receiver, 2 at a time, needs 4 s for its 8: had it held anything back, that would have waited.
      const slowAnswered = slow.answered();
      expect(fast.received).toHaveLength(8);
      expect(other.delivered).toBe(10);
      expect(slowAnswered).toBeLessThan(8);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(slow.received.length).toBeLessThanOrEqual(slowAnswered + 2);
    } finally {
      await worker.stop();
    }
  });
});

describe('screening receivers’ URLs (server-side request forgery)', () => {
  /** A resolver the test controls: names as a DNS server would answer them now. */
  const dns = new Map<string, string[]>();
  const lookup: HostLookup = async (host) => {
    const found = dns.get(host);
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  let strict: typeof ctx;
  let strictApi: TestApi;
  beforeAll(async () => {
    strict = { ...ctx, webhookReceivers: { lookup } };
    strictApi = await testApi(strict, 'admin');
  });

  it('refuses loopback, private, link-local, unspecified and multicast receivers, by address or by name', async () => {
    dns.set('localhost', ['127.0.0.1', '::1']);
    dns.set('intranet.example', ['93.184.216.34', '10.1.2.3']);
    dns.set('metadata.example', ['169.254.169.254']);
    const refused = [
      ['http://127.0.0.1:8080/in', 'loopback'],
      ['http://localhost:3000/in', 'loopback'],
      ['http://[::1]/in', 'loopback'],
      ['http://2130706433/in', 'loopback'],
      ['http://[::ffff:127.0.0.1]/in', 'loopback'],
      ['https://10.0.0.5/in', 'private'],
      ['https://172.20.1.1/in', 'private'],
      ['https://192.168.0.10/in', 'private'],
      ['https://[fd00::5]/in', 'private'],
      ['https://intranet.example/in', 'private'],
      ['http://169.254.169.254/latest/meta-data/', 'link_local'],
      ['http://metadata.example/latest/meta-data/', 'link_local'],
      ['http://[fe80::1]/in', 'link_local'],
      ['http://0.0.0.0:3000/in', 'unspecified'],
      ['http://224.0.0.1/in', 'multicast'],
    ] as const;
    for (const [url, kind] of refused) {
      const r = await strictApi.request('POST', '/v1/webhooks', { url, eventTypes: ['refund.issued'] });
      expect(r.status, url).toBe(400);
      expect(r.body.error, url).toMatchObject({
        code: 'invalid_argument',
        reason: 'webhook_url_blocked_address',
        addressKind: kind,
        fields: [{ path: 'url' }],
      });
    }
    for (const [url, field] of [
      ['ftp://files.example/in', 'url'],
      ['https://user:pw@hooks.example/in', 'url'],
    ] as const) {
      const r = await strictApi.request('POST', '/v1/webhooks', { url, eventTypes: ['refund.issued'] });
      expect(r.status, url).toBe(400);
      expect(r.body.error.fields[0].path, url).toBe(field);
    }
    expect((await strictApi.request('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
  });

  it('takes a public receiver, and refuses changing its URL to a private one', async () => {
    dns.set('hooks.public.example', ['93.184.216.34', '2606:2800:220:1::1']);
    const made = await strictApi.request('POST', '/v1/webhooks', {
      url: 'https://hooks.public.example/in',
      eventTypes: ['refund.issued'],
    });
    expect(made.status).toBe(201);
    const moved = await strictApi.request('PATCH', `/v1/webhooks/${made.body.id}`, { url: 'http://192.168.1.1/in' });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({ reason: 'webhook_url_blocked_address', fields: [{ path: 'url' }] });
    expect((await strictApi.request('GET', `/v1/webhooks/${made.body.id}`)).body.url).toBe(
      'https://hooks.public.example/in',
    );
  });

  it('checks again at delivery: a name that now resolves inside the network is not connected to', async () => {
    const rx = await receiver();
    const port = new URL(rx.url).port;
    dns.set('rebind.example', ['203.0.113.10']);
    const made = await strictApi.request('POST', '/v1/webhooks', {
      url: `http://rebind.example:${port}/in`,
      eventTypes: ['conversation.status_changed'],
    });
    expect(made.status).toBe(201);
    await statusChanged();
    dns.set('rebind.example', ['127.0.0.1']);
    const screened = { ...opts, sender: httpWebhookSender({ lookup }) };
    expect(await deliverWebhooks(strict, screened)).toMatchObject({ claimed: 1, failed: 1 });
    expect(rx.received).toEqual([]);
    const [attempt] = (await strictApi.request('GET', `/v1/webhooks/${made.body.id}/deliveries`)).body.attempts;
    expect(attempt).toMatchObject({ outcome: 'failed', statusCode: null });
    expect(attempt.error).toContain('rebind.example resolves to 127.0.0.1, which is a loopback address');
    // With private addresses allowed, the same delivery goes to the address the name resolved to, and arrives.
    ctx.clock.advance(60_000);
    const allowed = { ...opts, sender: httpWebhookSender({ allowPrivate: true, lookup }) };
    expect(await deliverWebhooks(strict, allowed)).toMatchObject({ delivered: 1 });
    expect(rx.received).toHaveLength(1);
  });
});

import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { ensureWidgetBuild, WIDGET_SCRIPT } from '../../src/cli/widget-build.js';
import { rows } from '../../src/db/database.js';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { readSse } from '../support/sse.js';

const SHOP = 'https://shop.example';
const SECRET = 'widget-secret-0123456789abcdef0123456789';
const sign = (value: string, secret = SECRET) => createHmac('sha256', secret).update(value).digest('hex');

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let widget: ReturnType<typeof createApp>;
let customer: { id: string; email: string };

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  widget = createApp(ctx, {
    widget: {
      origins: [SHOP, 'http://localhost:5173'],
      secret: SECRET,
      rateLimits: { visitorMessages: { burst: 3, perMinute: 3 }, ipNewVisitors: { burst: 100, perMinute: 100 } },
    },
    origin: { trustProxy: true },
  });
  const made = await api.request('POST', '/v1/customers', { name: 'Jordan Lee', emails: ['jordan@example.com'] });
  expect(made.status).toBe(201);
  customer = { id: made.body.id, email: 'jordan@example.com' };
});
afterAll(() => ctx.drop());

let ip = 0;
/** A storefront page's call; each call comes from its own address unless `from` says otherwise. */
async function call(
  method: string,
  path: string,
  opts: {
    body?: unknown;
    token?: string;
    origin?: string | null;
    from?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { 'x-forwarded-for': opts.from ?? `203.0.113.${++ip % 250}` };
  if (opts.origin !== null) headers.origin = opts.origin ?? SHOP;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, opts.headers);
  const res = await widget.request(`/widget/v1${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const conversationOf = async (visitorMessageId: string) => {
  const [r] = await rows<{ conversation_id: string }>(
    ctx.database.db,
    sql`select conversation_id from messages where id = ${visitorMessageId}`,
  );
  return (await api.request('GET', `/v1/conversations/${r!.conversation_id}`)).body;
};

describe('chat widget API', () => {
  it("an anonymous visitor's message opens a conversation on channel chat in the inbox; the next one joins it", async () => {
    const first = await call('POST', '/messages', { body: { body: 'Where is my parcel?', email: 'Sam@Example.com' } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      visitorToken: expect.stringMatching(/^vt_[\w-]{40,}$/),
      verified: false,
      message: { from: 'visitor', body: 'Where is my parcel?' },
    });
    const c = await conversationOf(first.body.message.id);
    expect(c).toMatchObject({
      channel: 'chat',
      status: 'open',
      subject: 'Where is my parcel?',
      customerVerified: false,
    });
    expect(c.customer.email).toBe('sam@example.com');
    const listed = await api.request('GET', '/v1/conversations?channel=chat&q=sam%40example.com');
    expect(listed.body.items.map((x: any) => x.id)).toContain(c.id);

    const token = first.body.visitorToken;
    const second = await call('POST', '/messages', { body: { body: 'Order #1001' }, token });
    expect(second.status).toBe(201);
    expect(second.body.visitorToken).toBeUndefined();
    expect((await conversationOf(second.body.message.id)).id).toBe(c.id);
    const thread = await call('GET', '/messages', { token });
    expect(thread.body.messages.map((m: any) => m.body)).toEqual(['Where is my parcel?', 'Order #1001']);
    // Only the token's hash is stored.
    const stored = await rows<{ token_hash: string }>(ctx.database.db, sql`select token_hash from chat_visitors`);
    expect(stored.some((r) => r.token_hash.includes(token) || token.includes(r.token_hash))).toBe(false);
  });

  it("an agent's reply reaches that visitor only; internal notes reach nobody", async () => {
    const a = await call('POST', '/messages', { body: { body: 'Hello from A', email: 'a@example.com' } });
    const b = await call('POST', '/messages', { body: { body: 'Hello from B', email: 'b@example.com' } });
    const conv = await conversationOf(a.body.message.id);
    const agent = await api.as('agent');
    expect(
      (await agent.request('POST', `/v1/conversations/${conv.id}/replies`, { body: 'Hi A, on its way.' })).status,
    ).toBe(201);
    expect((await agent.request('POST', `/v1/conversations/${conv.id}/notes`, { body: 'internal only' })).status).toBe(
      201,
    );
    const seenByA = await call('GET', '/messages', { token: a.body.visitorToken });
    expect(seenByA.status).toBe(200);
    expect(seenByA.body.messages.map((m: any) => [m.from, m.body])).toEqual([
      ['visitor', 'Hello from A'],
      ['support', 'Hi A, on its way.'],
    ]);
    const after = seenByA.body.messages[0].seq;
    expect((await call('GET', `/messages?after=${after}`, { token: a.body.visitorToken })).body.messages).toHaveLength(
      1,
    );
    const seenByB = await call('GET', '/messages', { token: b.body.visitorToken });
    expect(seenByB.body.messages.map((m: any) => m.body)).toEqual(['Hello from B']);
    // No token, or a made-up one, reads nothing.
    expect((await call('GET', '/messages')).body.error).toMatchObject({
      code: 'unauthorized',
      reason: 'visitor_token_required',
    });
    expect((await call('GET', '/messages', { token: 'vt_guessed' })).body.error).toMatchObject({
      code: 'unauthorized',
      reason: 'visitor_token_invalid',
    });
  });

  it('a logged-in customer signed by the store is bound to that customer as verified, by email or by id', async () => {
    const byEmail = await call('POST', '/messages', {
      body: { body: 'Cancel my order please', identity: { email: customer.email, hash: sign(customer.email) } },
    });
    expect(byEmail.status, JSON.stringify(byEmail.body)).toBe(201);
    expect(byEmail.body.verified).toBe(true);
    const c = await conversationOf(byEmail.body.message.id);
    expect(c).toMatchObject({ customerId: customer.id, channel: 'chat', customerVerified: true });
    const byId = await call('POST', '/messages', {
      body: { body: 'Another question', identity: { customerId: customer.id, hash: sign(customer.id).toUpperCase() } },
    });
    expect(byId.status).toBe(201);
    const c2 = await conversationOf(byId.body.message.id);
    expect(c2).toMatchObject({ customerId: customer.id, customerVerified: true });
    expect(c2.id).not.toBe(c.id); // each visitor (device) has its own conversation
    // The same customer's email typed by an anonymous visitor is not verified.
    const typed = await call('POST', '/messages', { body: { body: 'It is me, really', email: customer.email } });
    expect(typed.body.verified).toBe(false);
    expect(await conversationOf(typed.body.message.id)).toMatchObject({
      customerId: customer.id,
      customerVerified: false,
    });
  });

  it('a forged identity hash is refused with identity_hash_invalid and stores nothing', async () => {
    const count = async () =>
      (await rows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from messages`))[0]!.n;
    const before = await count();
    for (const hash of [sign(customer.email, 'another-secret-of-the-right-length-000'), '00', sign('x@example.com')]) {
      const r = await call('POST', '/messages', {
        body: { body: 'I am Jordan', identity: { email: customer.email, hash } },
      });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'unauthorized', reason: 'identity_hash_invalid' });
    }
    const noSecret = createApp(ctx, { widget: { origins: [SHOP] } });
    const off = await noSecret.request('/widget/v1/messages', {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'hi', identity: { email: customer.email, hash: sign(customer.email) } }),
    });
    expect(off.status).toBe(403);
    expect(((await off.json()) as any).error.reason).toBe('identity_verification_off');
    expect(await count()).toBe(before);
  });

  it('serves its script from sopdesk to any page: one file, under 30 KB gzipped, cached for five minutes', async () => {
    await ensureWidgetBuild();
    const served = createApp(ctx, { widget: { script: WIDGET_SCRIPT, origins: [SHOP] } });
    const res = await served.request('/widget.js', { headers: { origin: 'https://any-store.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const script = Buffer.from(await res.arrayBuffer());
    expect(script.toString()).toContain('sopdesk-chat');
    expect(gzipSync(script).length).toBeLessThan(30 * 1024);
  });

  it('answers allowed storefront origins only, with CORS for them', async () => {
    const pre = await call('OPTIONS', '/messages', {
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    for (const origin of ['https://evil.example', 'https://shop.example.evil.example', null]) {
      const r = await call('POST', '/messages', { origin, body: { body: 'hi', email: 'e@example.com' } });
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'forbidden', reason: 'origin_not_allowed' });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const p = await call('OPTIONS', '/messages', { origin });
      expect(p.status).toBe(403);
    }
    const ok = await call('POST', '/messages', { body: { body: 'hi', email: 'o@example.com' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('limits messages per visitor and requests per address (token buckets), refilling with time', async () => {
    const first = await call('POST', '/messages', { body: { body: 'one', email: 'rate@example.com' } });
    const token = first.body.visitorToken;
    for (const body of ['two', 'three', 'four'])
      expect((await call('POST', '/messages', { token, body: { body } })).status).toBe(201);
    const refused = await call('POST', '/messages', { token, body: { body: 'five' } });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', limit: 'visitorMessages', retryAfterSeconds: 20 });
    expect(refused.headers.get('retry-after')).toBe('20');
    // Readable by the storefront's page: the widget tells the visitor to wait.
    expect(refused.headers.get('access-control-allow-origin')).toBe(SHOP);
    // Another visitor is not held back by this one.
    expect((await call('POST', '/messages', { body: { body: 'me too', email: 'other@example.com' } })).status).toBe(
      201,
    );
    ctx.clock.advance(20_000);
    expect((await call('POST', '/messages', { token, body: { body: 'five' } })).status).toBe(201);

    // 120 requests at once from one address, then it waits.
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++)
      statuses.push((await call('GET', '/messages', { token, from: '198.51.100.7' })).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const r = await call('GET', '/messages', { from: '198.51.100.7' });
    expect(r.body.error).toMatchObject({ code: 'rate_limited', limit: 'ipRequests' });
  });

  it('takes the same input limits as the rest of the API, and refuses fields it does not take', async () => {
    const long = await call('POST', '/messages', { body: { body: 'x'.repeat(20_001), email: 'l@example.com' } });
    expect(long.status).toBe(400);
    expect(long.body.error.fields[0].path).toBe('body');
    const extra = await call('POST', '/messages', {
      body: { body: 'hi', email: 'l@example.com', customerId: 'cus_x' },
    });
    expect(extra.status).toBe(400);
    const noEmail = await call('POST', '/messages', { body: { body: 'hi' } });
    expect(noEmail.body.error).toMatchObject({ code: 'invalid_argument', reason: 'email_required' });
    const both = await call('POST', '/messages', {
      body: { body: 'hi', identity: { email: customer.email, customerId: customer.id, hash: 'aa' } },
    });
    expect(both.status).toBe(400);
    const text = await widget.request('/widget/v1/messages', {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'text/plain', 'x-forwarded-for': '192.0.2.1' },
      body: 'hi',
    });
    expect(text.status).toBe(415);
  });
});

describe('the widget event stream', () => {
  const open = (token: string | undefined, after = 0, origin = SHOP) =>
    widget.request(`/widget/v1/events?after=${after}`, {
      headers: {
        origin,
        'x-forwarded-for': `192.0.2.${++ip % 250}`,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });

  it("pushes the visitor's own conversation as it is written: what was missed first, then each reply, never notes or another visitor's", async () => {
    const a = await call('POST', '/messages', { body: { body: 'Stream A here', email: 'stream-a@example.com' } });
    const b = await call('POST', '/messages', { body: { body: 'Stream B here', email: 'stream-b@example.com' } });
    const convA = (await conversationOf(a.body.message.id)).id;
    const convB = (await conversationOf(b.body.message.id)).id;

    const res = await open(a.body.visitorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    const sse = readSse(res);
    try {
      await sse.next((m) => m.event === 'ready');
      const caught = await sse.next((m) => m.event === 'messages');
      expect(JSON.parse(caught.data)).toMatchObject({
        verified: false,
        messages: [{ from: 'visitor', body: 'Stream A here' }],
      });
      expect(caught.id).toBe(String(a.body.message.seq));

      await api.request('POST', `/v1/conversations/${convA}/notes`, { body: 'Internal: check the depot' });
      await api.request('POST', `/v1/conversations/${convB}/replies`, { body: 'Hello B' });
      await api.request('POST', `/v1/conversations/${convA}/replies`, { body: 'Hello A, it ships today.' });
      const reply = await sse.next((m) => m.event === 'messages' && m.data.includes('Hello A'));
      expect(JSON.parse(reply.data).messages).toEqual([
        expect.objectContaining({ from: 'support', body: 'Hello A, it ships today.' }),
      ]);
      const bodies = sse.messages
        .filter((m) => m.event === 'messages')
        .flatMap((m) => JSON.parse(m.data).messages.map((x: { body: string }) => x.body));
      expect(bodies).toEqual(['Stream A here', 'Hello A, it ships today.']);
    } finally {
      await sse.close();
    }

    // A reconnect after the last seq it saw gets only what came after.
    const again = readSse(await open(a.body.visitorToken, a.body.message.seq));
    try {
      const missed = await again.next((m) => m.event === 'messages');
      expect(JSON.parse(missed.data).messages.map((x: { body: string }) => x.body)).toEqual([
        'Hello A, it ships today.',
      ]);
    } finally {
      await again.close();
    }
  });

  it('is refused without a known visitor token, and from another origin', async () => {
    const none = await open(undefined);
    expect(none.status).toBe(401);
    expect(((await none.json()) as any).error.reason).toBe('visitor_token_required');
    const forged = await open('vt_not-a-real-token-0000000000000000000000000');
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as any).error.reason).toBe('visitor_token_invalid');
    const a = await call('POST', '/messages', { body: { body: 'Other origin', email: 'stream-c@example.com' } });
    const elsewhere = await open(a.body.visitorToken, 0, 'https://evil.example');
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as any).error.reason).toBe('origin_not_allowed');
  });
});

/**
 * The live event stream (GET /v1/events): a write's events reach an open stream once it commits, a reconnect with
 * Last-Event-ID gets what it missed, and a caller sees only what it may. Runs on PGlite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { readSse, type SseReader } from '../support/sse.js';
import { createApp } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import { endLiveEvents } from '../../src/app/live/live-events.js';
import { write } from '../../src/app/write.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let fx: InboxFixture;
let app: ReturnType<typeof createApp>;
let token: string;
const open: SseReader[] = [];

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx, 'agent');
  fx = await loadInboxFixture(api.request);
  app = createApp(ctx, { eventHeartbeatMs: 100 });
  token = (await createToken(ctx, { role: 'viewer', name: 'watcher' })).token;
});
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
  await endLiveEvents(ctx);
  await ctx.drop();
});

async function stream(query = '', headers: Record<string, string> = {}, as = token) {
  const res = await app.request(`/v1/events${query}`, { headers: { authorization: `Bearer ${as}`, ...headers } });
  expect(res.status, await (res.status === 200 ? '' : res.clone().text())).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const r = readSse(res);
  open.push(r);
  await r.next((m) => m.event === 'ready');
  return r;
}
const event = (r: SseReader, test: (e: any) => boolean) =>
  r
    .next((m) => m.event === 'message' && test(JSON.parse(m.data)))
    .then((m) => ({ ...JSON.parse(m.data), sseId: m.id }));
const eventsOf = (r: SseReader) => r.messages.filter((m) => m.event === 'message').map((m) => JSON.parse(m.data));

const inbound = (body: string, customerId = fx.customer.id, conversationId: string | undefined = fx.conversation.id) =>
  api.request('POST', '/v1/conversations/inbound', { customerId, ...(conversationId ? { conversationId } : {}), body });

describe('GET /v1/events', () => {
  it('pushes a message received through the API to an open stream, with its seq as the SSE id', async () => {
    const r = await stream();
    const sent = await inbound('Where is my lamp?');
    expect(sent.status).toBe(201);
    const e = await event(r, (e) => e.type === 'message.received');
    expect(e).toMatchObject({
      customerId: fx.customer.id,
      conversationId: fx.conversation.id,
      actorKind: expect.any(String),
      data: { excerpt: 'Where is my lamp?' },
    });
    expect(e.sseId).toBe(String(e.seq));
  });

  it('pushes conversation changes (assignee, status) in the order they were made', async () => {
    const r = await stream();
    expect(
      (await api.request('POST', `/v1/conversations/${fx.conversation.id}/assign`, { assignee: 'me' })).status,
    ).toBe(200);
    expect(
      (await api.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'pending' })).status,
    ).toBe(200);
    await event(r, (e) => e.type === 'conversation.status_changed');
    const types = eventsOf(r).map((e) => e.type);
    expect(types.indexOf('conversation.assigned')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('conversation.assigned')).toBeLessThan(types.indexOf('conversation.status_changed'));
  });

  it('pushes a handoff as the AI agent queues it and as a person takes it', async () => {
    const r = await stream();
    const ai = await api.as('ai_agent');
    const queued = await ai.request('POST', '/v1/handoffs', {
      customerId: fx.customer.id,
      conversationId: fx.conversation.id,
      summary: 'The customer asks for a person.',
      customerVerified: false,
      done: [],
      refused: [],
    });
    expect(queued.status).toBe(201);
    const created = await event(r, (e) => e.type === 'handoff.created');
    expect(created).toMatchObject({ conversationId: fx.conversation.id, actorKind: 'ai_agent' });
    expect((await api.request('POST', `/v1/handoffs/${created.data.handoffId}/take`, {})).status).toBe(200);
    const taken = await event(r, (e) => e.type === 'handoff.taken');
    expect(taken).toMatchObject({ conversationId: fx.conversation.id, data: { handoffId: created.data.handoffId } });
  });

  it('sends nothing for a write that rolls back', async () => {
    const r = await stream();
    await expect(
      write(ctx, 'test_rollback', null, { actor: { kind: 'system' } }, async ({ record }) => {
        await record({
          type: 'note.added',
          customerId: fx.customer.id,
          data: { conversationId: fx.conversation.id, messageId: 'msg_rolledback', excerpt: 'never' },
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await inbound('After the rollback');
    await event(r, (e) => e.data.excerpt === 'After the rollback');
    expect(eventsOf(r).some((e) => e.data.excerpt === 'never')).toBe(false);
  });

  it('a reconnect with Last-Event-ID gets the events it missed first, in order, then the live ones', async () => {
    const first = await stream();
    await inbound('Before the break');
    const seen = await event(first, (e) => e.data.excerpt === 'Before the break');
    await first.close();
    await inbound('Missed one');
    await inbound('Missed two');
    const again = await stream('', { 'last-event-id': seen.sseId });
    await inbound('Live again');
    await event(again, (e) => e.data.excerpt === 'Live again');
    const excerpts = eventsOf(again)
      .filter((e) => e.type === 'message.received')
      .map((e) => e.data.excerpt);
    expect(excerpts).toEqual(['Missed one', 'Missed two', 'Live again']);
    expect(eventsOf(again).every((e) => e.seq > seen.seq)).toBe(true);
    // `after` does the same for a client that cannot set the header.
    const byQuery = await stream(`?after=${seen.seq}`);
    await event(byQuery, (e) => e.data.excerpt === 'Live again');
    expect(
      eventsOf(byQuery)
        .filter((e) => e.type === 'message.received')
        .map((e) => e.data.excerpt),
    ).toEqual(excerpts);
  });

  it("a conversation's stream gets only that conversation's events (what a storefront widget subscribes to)", async () => {
    const other = await inbound('A new question', fx.customer.id, undefined);
    const otherId = other.body.conversation?.id ?? other.body.conversationId ?? other.body.id;
    expect(otherId).toMatch(/^cnv_/);
    const r = await stream(`?conversationId=${fx.conversation.id}`);
    await inbound('To the other one', fx.customer.id, otherId);
    await inbound('To this one');
    await event(r, (e) => e.data.excerpt === 'To this one');
    expect(eventsOf(r).every((e) => e.conversationId === fx.conversation.id)).toBe(true);
  });

  it("a token bound to a customer gets only that customer's events, and another customer's stream is not found", async () => {
    const someone = await api.request('POST', '/v1/customers', {
      name: 'Olivia Brown',
      emails: ['olivia@example.com'],
    });
    const bound = (await createToken(ctx, { role: 'agent', name: 'mo-only', customerId: fx.customer.id })).token;
    const r = await stream('', {}, bound);
    await inbound('From Olivia', someone.body.id, undefined);
    await inbound('From Mohammed');
    await event(r, (e) => e.data.excerpt === 'From Mohammed');
    expect(eventsOf(r).map((e) => e.customerId)).toEqual(eventsOf(r).map(() => fx.customer.id));
    const refused = await app.request(`/v1/events?customerId=${someone.body.id}`, {
      headers: { authorization: `Bearer ${bound}` },
    });
    expect(refused.status).toBe(404);
    // Catching up does not reach past the customer either.
    const caughtUp = await stream('?after=0', {}, bound);
    await event(caughtUp, (e) => e.data.excerpt === 'From Mohammed');
    expect(eventsOf(caughtUp).every((e) => e.customerId === fx.customer.id)).toBe(true);
  });

  it('an unauthenticated caller gets a 401 and no stream; a bad Last-Event-ID is a 400', async () => {
    const anonymous = await app.request('/v1/events');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/json');
    const forged = await app.request('/v1/events', { headers: { authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);
    const bad = await app.request('/v1/events', {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': 'x1' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.fields[0].path).toBe('Last-Event-ID');
  });

  it('sends heartbeats, and ends the stream once its token is revoked', async () => {
    const issued = await createToken(ctx, { role: 'viewer', name: 'short-lived' });
    const r = await stream('', {}, issued.token);
    await new Promise((done) => setTimeout(done, 250));
    expect(r.heartbeats).toBeGreaterThan(0);
    const admin = await testApi(ctx, 'admin');
    expect((await admin.request('DELETE', `/v1/tokens/${issued.id}`)).status).toBe(200);
    await r.ended;
    await inbound('After the revoke');
    expect(r.messages.some((m) => m.data.includes('After the revoke'))).toBe(false);
  });

  it('ends every open stream when the server shuts down', async () => {
    const r = await stream();
    await endLiveEvents(ctx);
    await r.ended;
    // A stream opened afterwards listens again.
    const next = await stream();
    await inbound('After the restart');
    await event(next, (e) => e.data.excerpt === 'After the restart');
  });
});

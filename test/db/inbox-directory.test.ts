import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let agent: TestApi;
let fx: InboxFixture;
let kogan: { id: string; name: string };

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  agent = await api.as('agent');
  fx = await loadInboxFixture(api.request);
  const r = await api.request('POST', '/v1/orders', {
    customerId: fx.customer.id,
    currency: 'USD',
    channel: 'kogan',
    externalRef: 'ESG-58231467',
    placedAt: '2026-11-20T09:00:00Z',
    lines: [{ sku: 'LAMP', quantity: 1 }],
  });
  expect(r.status).toBe(201);
  kogan = { id: r.body.id, name: r.body.name };
  await api.request('POST', '/v1/customers', {
    name: 'Ana Moreno',
    emails: ['ana@example.com'],
    phone: '0400 111 222',
  });
});
afterAll(() => ctx.drop());

const search = async (q: string) => (await agent.request('GET', `/v1/search?q=${encodeURIComponent(q)}`)).body;
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('GET /v1/search: one box for customers and orders', () => {
  it('finds a customer by the start of the name, the last name, the email (any case) and the phone digits', async () => {
    for (const q of ['moh', 'Ali', 'MO@EXAMPLE', '61 2 5550', '+61 2 5550 1234'])
      expect(ids((await search(q)).customers), q).toEqual([fx.customer.id]);
    const [hit] = (await search('mohammed')).customers;
    expect(hit).toMatchObject({ name: 'Mohammed Ali', email: fx.customer.email, orderCount: 4 });
    expect((await search('nobody')).customers).toEqual([]);
  });

  it('finds an order by its number and by its channel reference, with its customer', async () => {
    const byNumber = await search(fx.partialOrder.name);
    expect(byNumber.customers).toEqual([]);
    expect(byNumber.orders).toEqual([
      expect.objectContaining({ id: fx.partialOrder.id, customer: expect.objectContaining({ name: 'Mohammed Ali' }) }),
    ]);
    expect(ids((await search('esg-58231467')).orders)).toEqual([kogan.id]);
  });

  it('refuses a search too short to mean anything, naming the field', async () => {
    const r = await agent.request('GET', '/v1/search?q=a');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_argument', fields: [expect.objectContaining({ path: 'q' })] });
  });
});

describe('linked orders', () => {
  it('links the orders a customer message names, only theirs, when it is received', async () => {
    const other = await api.request('POST', '/v1/customers', { name: 'Other Person', emails: ['other@example.com'] });
    const theirs = await api.request('POST', '/v1/orders', {
      customerId: other.body.id,
      currency: 'USD',
      placedAt: '2026-11-21T09:00:00Z',
      lines: [{ sku: 'LAMP', quantity: 1 }],
    });
    const r = await api.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      subject: 'Refund for my Kogan order',
      body: `Hi, about ESG-58231467 and ${fx.unpaidOrder.name}, not ${theirs.body.name} (call 0412 345 678).`,
    });
    expect(r.status).toBe(201);
    expect(ids(r.body.orders).sort()).toEqual([kogan.id, fx.unpaidOrder.id].sort());
    const timeline = await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=conversation.updated`);
    expect(timeline.body.events[0].data).toMatchObject({
      conversationId: r.body.id,
      linkedOrders: expect.arrayContaining([kogan.id]),
    });
  });

  it('an agent links and unlinks an order by its number; another customer’s order is refused with the field', async () => {
    const c = fx.conversation.id;
    const linked = await agent.request('PATCH', `/v1/conversations/${c}`, { linkOrders: [fx.noReturnOrder.name] });
    expect(ids(linked.body.orders)).toContain(fx.noReturnOrder.id);
    const unlinked = await agent.request('PATCH', `/v1/conversations/${c}`, { unlinkOrders: [fx.noReturnOrder.name] });
    expect(ids(unlinked.body.orders)).not.toContain(fx.noReturnOrder.id);
    const bad = await agent.request('PATCH', `/v1/conversations/${c}`, { unlinkOrders: [42] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('unlinkOrders.0');
  });
});

describe('new conversation written by an agent', () => {
  it('opens the conversation with the agent’s message queued like a reply', async () => {
    const r = await agent.request('POST', '/v1/conversations', {
      customerId: fx.customer.id,
      subject: 'About your return',
      message: 'Hi Mohammed, we received your lamps.',
    });
    expect(r.status).toBe(201);
    const c = (await agent.request('GET', `/v1/conversations/${r.body.id}`)).body;
    expect(c.messages.map((m: any) => [m.kind, m.authorKind, m.delivery])).toEqual([['outbound', 'human', 'queued']]);
  });

  it('refuses a customer message and an agent message together, naming the field', async () => {
    const r = await agent.request('POST', '/v1/conversations', {
      customerId: fx.customer.id,
      subject: 'x',
      body: 'from the customer',
      message: 'from the agent',
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'invalid_argument',
      fields: [expect.objectContaining({ path: 'message' })],
    });
  });
});

describe('macros with placeholders nothing fills', () => {
  it('names what is missing instead of a sentence with a hole; with an order chosen it is complete', async () => {
    const m = await api.request('POST', '/v1/macros', {
      name: 'Return started',
      body: 'About {{order.name}}: started.',
    });
    const bare = await agent.request('POST', '/v1/conversations', { customerId: fx.customer.id, subject: 'Hello' });
    const missing = await agent.request('POST', `/v1/macros/${m.body.id}/render`, { conversationId: bare.body.id });
    expect(missing.body.missing).toEqual(['order.name']);
    const chosen = await agent.request('POST', `/v1/macros/${m.body.id}/render`, {
      conversationId: bare.body.id,
      orderId: fx.partialOrder.name,
    });
    expect(chosen.body).toEqual({ body: `About ${fx.partialOrder.name}: started.`, missing: [] });
  });
});

describe('conversation counts', () => {
  it('counts every status and the open work per assignee', async () => {
    await agent.request('POST', `/v1/conversations/${fx.conversation.id}/assign`, { assignee: 'me' });
    const r = await agent.request('GET', '/v1/conversations/counts');
    expect(r.status).toBe(200);
    const all = (await agent.request('GET', '/v1/conversations?limit=200')).body.items;
    const open = all.filter((c: any) => !['resolved', 'closed'].includes(c.status));
    expect(r.body.openWork).toBe(open.length);
    expect(r.body.statuses.open).toBe(all.filter((c: any) => c.status === 'open').length);
    expect(r.body.assignees).toContainEqual({ kind: 'human', name: 'test-agent', count: 1 });
    expect(r.body.unassigned).toBe(open.length - 1);
  });

  it('finds conversations by the start of the customer’s last name', async () => {
    const r = await agent.request('GET', '/v1/conversations?q=ali');
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.every((c: any) => c.customer.name === 'Mohammed Ali')).toBe(true);
  });
});

describe('procedures started from a conversation', () => {
  it('take the customer’s email and the linked order as answered', async () => {
    const r = await agent.request('POST', '/v1/sop-runs', {
      sopId: 'handling-returns',
      customerId: fx.customer.id,
      conversationId: fx.conversation.id,
    });
    expect(r.status).toBe(201);
    const history = (await agent.request('GET', `/v1/sop-runs/${r.body.id}/history`)).body.steps;
    expect(history[0]).toMatchObject({ stepId: 'email' });
    expect(JSON.stringify(history[0])).toContain(fx.customer.email);
    expect(r.body.current?.stepId).toBe('knows_order');
    const next = await agent.request('POST', `/v1/sop-runs/${r.body.id}/steps/knows_order`, { answer: true });
    expect(next.status).toBe(200);
    const after = (await agent.request('GET', `/v1/sop-runs/${r.body.id}/history`)).body.steps;
    const order = after.find((s: any) => s.stepId === 'order_ref');
    expect(JSON.stringify(order)).toContain(fx.partialOrder.name);
  });
});

describe('users (admin)', () => {
  it('an admin adds, changes the role of and disables a user; the disabled user cannot sign in', async () => {
    const made = await api.request('POST', '/v1/users', {
      email: 'sam@shop.example',
      password: 'a long password',
      role: 'agent',
      name: 'Sam',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ email: 'sam@shop.example', name: 'Sam', role: 'agent', disabledAt: null });
    expect(JSON.stringify(made.body)).not.toContain('password');
    const viewer = await api.request('PATCH', `/v1/users/${made.body.id}`, { role: 'viewer' });
    expect(viewer.body.role).toBe('viewer');
    const off = await api.request('PATCH', `/v1/users/${made.body.id}`, { disabled: true });
    expect(off.body.disabledAt).not.toBeNull();
    const signIn = await api.request('POST', '/v1/session', { email: 'sam@shop.example', password: 'a long password' });
    expect(signIn.status).toBe(401);
    expect((await api.request('GET', '/v1/users')).body.users.map((u: any) => u.email)).toContain('sam@shop.example');
  });

  it('adds a user once per Idempotency-Key: a retry answers with the same user, another request under it conflicts', async () => {
    const body = { email: 'retry@shop.example', password: 'a long password', role: 'agent' };
    const key = { 'idempotency-key': 'add-retry-user' };
    const first = await api.request('POST', '/v1/users', body, key);
    const again = await api.request('POST', '/v1/users', body, key);
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const users = (await api.request('GET', '/v1/users')).body.users.filter((u: any) => u.email === body.email);
    expect(users).toHaveLength(1);
    const other = await api.request('POST', '/v1/users', { ...body, role: 'admin' }, key);
    expect(other.status).toBe(409);
    // Without a key, the same email again is a conflict, not a second user.
    expect((await api.request('POST', '/v1/users', body)).status).toBe(409);
    const off = { 'idempotency-key': 'disable-retry-user' };
    const d1 = await api.request('PATCH', `/v1/users/${first.body.id}`, { disabled: true }, off);
    const d2 = await api.request('PATCH', `/v1/users/${first.body.id}`, { disabled: true }, off);
    expect(d2.body).toEqual(d1.body);
  });

  it('keeps the last admin who can sign in', async () => {
    const admin = await api.request('POST', '/v1/users', {
      email: 'boss@shop.example',
      password: 'a long password',
      role: 'admin',
    });
    const r = await api.request('PATCH', `/v1/users/${admin.body.id}`, { disabled: true });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'not_eligible', reason: 'last_admin' });
    expect((await api.request('PATCH', `/v1/users/${admin.body.id}`, { role: 'agent' })).status).toBe(422);
  });

  it('refuses bad input with the field, and anyone but an admin', async () => {
    const bad = await api.request('POST', '/v1/users', { email: 'x@shop.example', password: 'short', role: 'agent' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('password');
    const empty = await api.request('PATCH', '/v1/users/usr_nope1234', {});
    expect(empty.status).toBe(400);
    expect((await agent.request('GET', '/v1/users')).status).toBe(403);
    expect((await api.request('PATCH', '/v1/users/usr_nope1234', { role: 'agent' })).status).toBe(404);
  });
});

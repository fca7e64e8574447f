import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let agent: TestApi;
let fx: InboxFixture;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  agent = await api.as('agent');
  fx = await loadInboxFixture(api.request);
});
afterAll(() => ctx.drop());

const snapshot = async (id: string) => (await api.request('GET', `/v1/conversations/${id}`)).body;
/** The data of the customer's latest `conversation.updated` timeline event. */
const lastConversationUpdate = async () => {
  const [e] = (await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=conversation.updated&limit=1`))
    .body.events;
  expect(e.type).toBe('conversation.updated');
  return e.data;
};

describe('conversations API', () => {
  it('creates a conversation with the first customer message, linked orders and tags, status open', async () => {
    const c = await snapshot(fx.conversation.id);
    expect(c).toMatchObject({
      status: 'open',
      statusLabel: 'Open',
      channel: 'email',
      subject: 'My lamps arrived broken',
      tags: ['returns'],
      assignee: null,
    });
    expect(c.customer).toMatchObject({ id: fx.customer.id, name: 'Mohammed Ali', email: fx.customer.email });
    expect(c.orders).toEqual([{ id: fx.partialOrder.id, name: fx.partialOrder.name }]);
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({
      kind: 'inbound',
      authorKind: 'customer',
      body: expect.stringContaining('broken'),
    });
    expect(c.nextStatuses).toEqual(['pending', 'resolved']);
  });

  it('finds conversations by customer email (any case) and by order number', async () => {
    const byEmail = await api.request(
      'GET',
      `/v1/conversations?q=${encodeURIComponent(fx.customer.email.toUpperCase())}`,
    );
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.items.map((c: any) => c.id)).toContain(fx.conversation.id);
    const byOrder = await api.request('GET', `/v1/conversations?q=${encodeURIComponent(fx.partialOrder.name)}`);
    expect(byOrder.body.items.map((c: any) => c.id)).toContain(fx.conversation.id);
    const none = await api.request('GET', '/v1/conversations?q=nobody@example.com');
    expect(none.body.items).toEqual([]);
  });

  it('an agent reply is queued for the outbox, a note is internal, and both are in the thread in order', async () => {
    const r = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/replies`, {
      body: 'Sorry to hear that! We will sort it out.',
    });
    expect(r.status).toBe(201);
    const n = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/notes`, {
      body: 'Customer sent photos by email.',
    });
    expect(n.status).toBe(201);
    const c = await snapshot(fx.conversation.id);
    expect(c.messages.map((m: any) => [m.kind, m.authorKind, m.delivery])).toEqual([
      ['inbound', 'customer', null],
      ['outbound', 'human', 'queued'],
      ['note', 'human', null],
    ]);
    expect(c.messages[1].authorName).toBe('test-agent');
  });

  it('a message whose 140-character excerpt would cut an emoji in half is stored, its excerpt ending before the emoji', async () => {
    const body = 'a'.repeat(138) + '😀 and more text';
    const r = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/notes`, { body });
    expect(r.status).toBe(201);
    const events = (await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=note.added&limit=1`)).body
      .events;
    expect(events[0].data.excerpt).toBe('a'.repeat(138) + '…');
  });

  it('moves through the transition table and refuses a move it lacks, changing nothing', async () => {
    const pend = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'pending' });
    expect(pend.body.status).toBe('pending');
    const bad = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'closed' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({
      code: 'not_eligible',
      reason: 'conversation_transition_not_allowed',
      from: 'pending',
      to: 'closed',
    });
    expect(bad.body.error.policy).toMatch(/closed conversation is final/);
    expect((await snapshot(fx.conversation.id)).status).toBe('pending');
    const manual = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/status`, {
      status: 'waiting_for_human',
    });
    expect(manual.status).toBe(422);
    expect((await snapshot(fx.conversation.id)).status).toBe('pending');
  });

  it('a customer writing reopens a pending conversation; after close, a new message starts a new conversation', async () => {
    const again = await api.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      conversationId: fx.conversation.id,
      body: 'Any news?',
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: fx.conversation.id, status: 'open' });
    await agent.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'resolved' });
    const closed = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'closed' });
    expect(closed.body.status).toBe('closed');
    const reply = await agent.request('POST', `/v1/conversations/${fx.conversation.id}/replies`, { body: 'late' });
    expect(reply.status).toBe(422);
    expect(reply.body.error.reason).toBe('conversation_closed');
    const follow = await api.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      conversationId: fx.conversation.id,
      subject: 'One more thing',
      body: 'Hi again',
    });
    expect(follow.body.id).not.toBe(fx.conversation.id);
    expect(follow.body.status).toBe('open');
    expect((await snapshot(fx.conversation.id)).messages.map((m: any) => m.body)).not.toContain('Hi again');
  });

  it('follow-ups on a closed ticket thread into one new conversation, which takes over the channel ticket id', async () => {
    const first = await agent.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      channel: 'marketplace',
      externalRef: 'KT-FOLLOW',
      subject: 'Refund',
      body: 'one',
    });
    expect(first.status).toBe(201);
    for (const s of ['resolved', 'closed'])
      expect((await agent.request('POST', `/v1/conversations/${first.body.id}/status`, { status: s })).status).toBe(
        200,
      );
    const a = await agent.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      channel: 'marketplace',
      externalRef: 'KT-FOLLOW',
      body: 'two',
    });
    const b = await agent.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      channel: 'marketplace',
      externalRef: 'KT-FOLLOW',
      body: 'three',
    });
    expect(a.body.id).not.toBe(first.body.id);
    expect(b.body.id).toBe(a.body.id);
    expect((await snapshot(a.body.id)).messages.map((m: any) => m.body)).toEqual(['two', 'three']);
    expect([(await snapshot(first.body.id)).externalRef, a.body.externalRef]).toEqual([null, 'KT-FOLLOW']);
    const created = (
      await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=conversation.created&limit=1`)
    ).body.events[0];
    expect(created.data).toMatchObject({
      conversationId: a.body.id,
      externalRef: 'KT-FOLLOW',
      followsUp: first.body.id,
    });
  });

  it('a closed conversation cannot be edited or assigned (422 conversation_closed, nothing changes); a note is still allowed', async () => {
    const c = await agent.request('POST', '/v1/conversations', { customerId: fx.customer.id, subject: 'to close' });
    for (const s of ['resolved', 'closed'])
      expect((await agent.request('POST', `/v1/conversations/${c.body.id}/status`, { status: s })).status).toBe(200);
    const before = await snapshot(c.body.id);
    const patch = await agent.request('PATCH', `/v1/conversations/${c.body.id}`, {
      subject: 'changed after close',
      priority: 'urgent',
      linkOrders: [fx.unpaidOrder.name],
    });
    const assign = await agent.request('POST', `/v1/conversations/${c.body.id}/assign`, { assignee: 'me' });
    expect([patch.status, patch.body.error.reason, assign.status, assign.body.error.reason]).toEqual([
      422,
      'conversation_closed',
      422,
      'conversation_closed',
    ]);
    expect(await snapshot(c.body.id)).toEqual(before);
    expect(
      (await agent.request('POST', `/v1/conversations/${c.body.id}/notes`, { body: 'for the record' })).status,
    ).toBe(201);
  });

  it('editing a conversation records conversation.updated with the changed fields and the linked orders', async () => {
    const c = await agent.request('POST', '/v1/conversations', { customerId: fx.customer.id, subject: 'to edit' });
    const patch = await agent.request('PATCH', `/v1/conversations/${c.body.id}`, {
      subject: 'Renamed',
      priority: 'high',
      tags: ['vip'],
      linkOrders: [fx.noReturnOrder.name],
    });
    expect(patch.status).toBe(200);
    expect(await lastConversationUpdate()).toMatchObject({
      conversationId: c.body.id,
      changed: ['subject', 'priority', 'tags', 'linkOrders'],
      subject: 'Renamed',
      priority: 'high',
      tags: ['vip'],
      linkedOrders: [fx.noReturnOrder.id],
    });
  });

  it('a change of a conversation’s tags is on the customer’s timeline with the tags added and removed', async () => {
    const c = await agent.request('POST', '/v1/conversations', {
      customerId: fx.customer.id,
      subject: 'to tag',
      tags: ['returns', 'urgent'],
    });
    expect((await agent.request('PATCH', `/v1/conversations/${c.body.id}`, { tags: ['returns', 'vip'] })).status).toBe(
      200,
    );
    expect(await lastConversationUpdate()).toMatchObject({
      conversationId: c.body.id,
      changed: ['tags'],
      tags: ['returns', 'vip'],
      tagsAdded: ['vip'],
      tagsRemoved: ['urgent'],
    });
  });

  it('joins inbound marketplace messages by the channel ticket id (the Kogan procedure: Kogan ticket)', async () => {
    const a = await api.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      channel: 'kogan',
      externalRef: 'KT-5001',
      subject: 'Refund please',
      body: 'I want a refund',
    });
    const b = await api.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      channel: 'kogan',
      externalRef: 'KT-5001',
      body: 'Hello?',
    });
    expect(b.body.id).toBe(a.body.id);
    expect(a.body.externalRef).toBe('KT-5001');
    const list = await api.request('GET', '/v1/conversations?channel=kogan');
    expect(list.body.items.map((c: any) => c.id)).toEqual([a.body.id]);
    const byRef = await api.request('GET', '/v1/conversations?q=KT-5001');
    expect(byRef.body.items.map((c: any) => c.id)).toEqual([a.body.id]);
  });

  it('assigns to me, to the AI agent, and unassigns; filters by assignee', async () => {
    const kogan = (await api.request('GET', '/v1/conversations?channel=kogan')).body.items[0];
    const mine = await agent.request('POST', `/v1/conversations/${kogan.id}/assign`, { assignee: 'me' });
    expect(mine.body.assignee).toEqual({ kind: 'human', name: 'test-agent' });
    expect((await agent.request('GET', '/v1/conversations?assignee=me')).body.items.map((c: any) => c.id)).toEqual([
      kogan.id,
    ]);
    const ai = await agent.request('POST', `/v1/conversations/${kogan.id}/assign`, { assignee: 'ai_agent' });
    expect(ai.body.assignee).toEqual({ kind: 'ai_agent', name: 'ai_agent' });
    expect(
      (await agent.request('GET', '/v1/conversations?assignee=ai_agent')).body.items.map((c: any) => c.id),
    ).toEqual([kogan.id]);
    await agent.request('POST', `/v1/conversations/${kogan.id}/assign`, { assignee: null });
    expect(
      (await agent.request('GET', '/v1/conversations?assignee=unassigned')).body.items.map((c: any) => c.id),
    ).toContain(kogan.id);
  });

  it('pages by keyset: every conversation once, newest activity first, and a bad cursor is a 400', async () => {
    for (let i = 0; i < 7; i++) {
      ctx.clock.advance(60_000);
      await api.request('POST', '/v1/conversations', {
        customerId: fx.customer.id,
        channel: 'chat',
        subject: `Question ${i}`,
      });
    }
    const all = (await api.request('GET', '/v1/conversations?limit=200')).body.items.map((c: any) => c.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.request('GET', `/v1/conversations?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: any) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    const times = (await api.request('GET', '/v1/conversations?limit=200')).body.items.map(
      (c: any) => c.lastActivityAt,
    );
    expect([...times].sort().reverse()).toEqual(times);
    const bad = await api.request('GET', '/v1/conversations?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('cursor');
  });

  it('a cursor whose time is not an exact ISO time or whose id is not a conversation id is a 400 naming cursor', async () => {
    const cursor = (s: string) => Buffer.from(s).toString('base64url');
    const id = fx.conversation.id;
    const bad = [
      '1|' + id,
      '2026-11-20|' + id,
      '2026-11-20T10:00:00Z|' + id,
      '+275760-09-13T00:00:00.001Z|' + id,
      '2026-11-20T10:00:00.000Z|cnv_\u0000',
      '2026-11-20T10:00:00.000Z|cnv_x',
      '2026-11-20T10:00:00.000Z|' + id + '|x',
    ];
    for (const c of bad) {
      const r = await api.request('GET', `/v1/conversations?cursor=${cursor(c)}`);
      expect([c, r.status, r.body.error?.fields?.[0]?.path]).toEqual([c, 400, 'cursor']);
    }
    const good = await api.request('GET', `/v1/conversations?cursor=${cursor(`2999-01-01T00:00:00.000Z|${id}`)}`);
    expect(good.status).toBe(200);
  });

  it('validates input: unknown status filter, a foreign order, an unknown conversation', async () => {
    expect((await api.request('GET', '/v1/conversations?status=nope')).status).toBe(400);
    const other = await api.request('POST', '/v1/customers', { name: 'Other Person', emails: ['other@example.com'] });
    const foreign = await api.request('POST', '/v1/conversations', {
      customerId: other.body.id,
      subject: 'x',
      orderIds: [fx.partialOrder.name],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields[0].path).toBe('orderIds.0');
    expect((await api.request('GET', '/v1/conversations?q=other@example.com')).body.items).toEqual([]);
    expect((await api.request('GET', '/v1/conversations/cnv_doesnotexist')).status).toBe(404);
    expect((await api.request('POST', '/v1/conversations/cnv_doesnotexist/notes', { body: 'x' })).status).toBe(404);
  });

  it('a viewer may read the inbox but not write to it', async () => {
    const viewer = await api.as('viewer');
    expect((await viewer.request('GET', '/v1/conversations')).status).toBe(200);
    const w = await viewer.request('POST', `/v1/conversations/${fx.conversation.id}/notes`, { body: 'x' });
    expect(w.status).toBe(403);
  });

  it('the customer timeline lists every message and status change newest first, filterable and paged', async () => {
    const t = await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?limit=200`);
    expect(t.status).toBe(200);
    const types = t.body.events.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'order.created',
        'conversation.created',
        'message.received',
        'message.sent',
        'note.added',
        'conversation.status_changed',
        'conversation.assigned',
      ]),
    );
    const seqOrder = t.body.events.map((e: any) => e.occurredAt);
    expect([...seqOrder].sort().reverse()).toEqual(seqOrder);
    const msgs = await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=message.*,note.added`);
    expect(new Set(msgs.body.events.map((e: any) => e.type.split('.')[0]))).toEqual(new Set(['message', 'note']));
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: any = await api.request(
        'GET',
        `/v1/customers/${fx.customer.id}/timeline?limit=4${before ? `&before=${before}` : ''}`,
      );
      seen.push(...page.body.events.map((e: any) => e.id));
      before = page.body.nextCursor;
    } while (before);
    expect(seen).toEqual(t.body.events.map((e: any) => e.id));
    expect((await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=DROP TABLE`)).status).toBe(400);
    expect((await api.request('GET', '/v1/customers/cus_nobody00/timeline')).status).toBe(404);
  });
});

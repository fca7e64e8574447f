import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { findTool } from '../../src/tools/catalogue.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let ai: TestApi;
let agent: TestApi;
let fx: InboxFixture;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  ai = await api.as('ai_agent');
  agent = await api.as('agent');
  fx = await loadInboxFixture(api.request);
});
afterAll(() => ctx.drop());

const transfer = () => ({
  customerId: fx.customer.id,
  summary: 'Customer wants a refund for 2 broken lamps; the return window question needs a person.',
  customerVerified: true,
  orderId: fx.partialOrder.name,
  done: ['Checked return eligibility of 2 × Desk lamp'],
  refused: [
    {
      action: 'refund_order',
      reason: 'return_not_received',
      why: 'Delivered returnable items are refunded only once their return has been received.',
    },
  ],
});

describe('handoffs (the Handling Returns procedure, step 6: transfer_to_human_representative)', () => {
  it('the AI agent transfers: a queued handoff with its structured state, the conversation waits for a human', async () => {
    const r = await ai.request('POST', '/v1/handoffs', transfer(), { 'idempotency-key': 'h-1' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'queued',
      conversationId: fx.conversation.id,
      customerId: fx.customer.id,
      requestedByKind: 'ai_agent',
      state: {
        customerVerified: true,
        orderId: fx.partialOrder.id,
        done: ['Checked return eligibility of 2 × Desk lamp'],
        refused: [{ reason: 'return_not_received' }],
      },
    });
    const again = await ai.request('POST', '/v1/handoffs', transfer(), { 'idempotency-key': 'h-1' });
    expect(again.body.id).toBe(r.body.id);
    const conv = (await api.request('GET', `/v1/conversations/${fx.conversation.id}`)).body;
    expect(conv.status).toBe('waiting_for_human');
    expect(conv.openHandoff).toEqual({ id: r.body.id, status: 'queued' });
    expect(conv.messages.at(-1)).toMatchObject({
      kind: 'note',
      authorKind: 'ai_agent',
      body: expect.stringContaining('Handed over to a human'),
    });
    const queue = await agent.request('GET', '/v1/handoffs');
    expect(queue.body.handoffs.map((h: any) => h.id)).toEqual([r.body.id]);
    expect(queue.body.handoffs[0].customer.email).toBe(fx.customer.email);
    const waiting = await agent.request('GET', '/v1/conversations?waiting_for_human=true');
    expect(waiting.body.items.map((c: any) => c.id)).toEqual([fx.conversation.id]);
  });

  it('refuses a second transfer of a conversation already waiting, changing nothing', async () => {
    const before = (await agent.request('GET', '/v1/handoffs?status=queued,taken,resolved')).body.handoffs.length;
    const r = await ai.request('POST', '/v1/handoffs', { ...transfer(), conversationId: fx.conversation.id });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'not_eligible', reason: 'handoff_already_queued' });
    expect((await agent.request('GET', '/v1/handoffs?status=queued,taken,resolved')).body.handoffs.length).toBe(before);
  });

  it('only a human takes a handoff; taking it assigns the conversation and opens it again', async () => {
    const [h] = (await agent.request('GET', '/v1/handoffs')).body.handoffs;
    const byAi = await ai.request('POST', `/v1/handoffs/${h.id}/take`);
    expect(byAi.status).toBe(422);
    expect(byAi.body.error.reason).toBe('handoff_needs_human');
    expect((await agent.request('GET', `/v1/handoffs/${h.id}`)).body.status).toBe('queued');
    const taken = await agent.request('POST', `/v1/handoffs/${h.id}/take`);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'taken', takenBy: 'test-agent' });
    const conv = (await agent.request('GET', `/v1/conversations/${fx.conversation.id}`)).body;
    expect(conv).toMatchObject({ status: 'open', assignee: { kind: 'human', name: 'test-agent' } });
    const twice = await (await api.as('agent')).request('POST', `/v1/handoffs/${h.id}/take`);
    expect(twice.status).toBe(422);
    expect(twice.body.error.reason).toBe('handoff_already_taken');
  });

  it('the human continues the same conversation and resolves the handoff and the conversation', async () => {
    const [h] = (await agent.request('GET', '/v1/handoffs?status=taken')).body.handoffs;
    await agent.request('POST', `/v1/conversations/${fx.conversation.id}/replies`, {
      body: 'Hi, I am taking over from our assistant.',
    });
    const done = await agent.request('POST', `/v1/handoffs/${h.id}/resolve`);
    expect(done.body.status).toBe('resolved');
    expect((await agent.request('GET', `/v1/conversations/${fx.conversation.id}`)).body).toMatchObject({
      status: 'resolved',
      openHandoff: null,
    });
    const events = (
      await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=handoff.*`)
    ).body.events.map((e: any) => e.type);
    expect(events).toEqual(['handoff.resolved', 'handoff.taken', 'handoff.created']);
  });

  it('a transfer without a conversation opens a new one when the latest is resolved', async () => {
    const r = await ai.request('POST', '/v1/handoffs', {
      customerId: fx.customer.id,
      summary: 'Wants to change the address of an order',
    });
    expect(r.status).toBe(201);
    expect(r.body.conversationId).not.toBe(fx.conversation.id);
    expect(r.body.state).toEqual({ customerVerified: false, orderId: null, done: [], refused: [] });
    const c = (await api.request('GET', `/v1/conversations/${r.body.conversationId}`)).body;
    expect(c).toMatchObject({ status: 'waiting_for_human', channel: 'chat', tags: ['handoff'] });
  });

  it('resolving a conversation resolves its open handoff', async () => {
    const [h] = (await agent.request('GET', '/v1/handoffs')).body.handoffs;
    const r = await agent.request('POST', `/v1/conversations/${h.conversationId}/status`, { status: 'resolved' });
    expect(r.body.status).toBe('resolved');
    expect((await agent.request('GET', `/v1/handoffs/${h.id}`)).body.status).toBe('resolved');
  });

  it('validates input: summary and customer id are required; unknown customer is 404', async () => {
    const bad = await ai.request('POST', '/v1/handoffs', { customerId: fx.customer.id });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('summary');
    expect((await ai.request('POST', '/v1/handoffs', { customerId: 'cus_nobody00', summary: 'x' })).status).toBe(404);
    expect((await agent.request('POST', '/v1/handoffs/hof_nothere0/take')).status).toBe(404);
  });

  it('is in the tool catalogue as transfer_to_human_representative, and the tool creates a handoff', async () => {
    const tool = findTool('transfer_to_human_representative');
    expect(tool).toBeDefined();
    expect(tool!.hints.readOnly).toBe(false);
    const input = tool!.input.parse({
      customerId: fx.customer.id,
      summary: 'Customer is not satisfied with the return process',
    });
    const out = await tool!.run(input, { ctx, actor: { kind: 'ai_agent', id: 'bot' } });
    expect(tool!.output.parse(out)).toMatchObject({ status: 'queued', customerId: fx.customer.id });
  });
});

describe('a handoff is for a human', () => {
  it('an AI agent cannot move a conversation waiting for a human nor resolve its handoff (handoff_needs_human); a human can', async () => {
    const customer = (
      await api.request('POST', '/v1/customers', { name: 'Wants Person', emails: ['wants-person@example.com'] })
    ).body;
    const h = await ai.request('POST', '/v1/handoffs', { customerId: customer.id, summary: 'Customer wants a person' });
    expect(h.status).toBe(201);
    const refusals = [
      await ai.request('POST', `/v1/conversations/${h.body.conversationId}/status`, { status: 'resolved' }),
      await ai.request('POST', `/v1/conversations/${h.body.conversationId}/status`, { status: 'open' }),
      await ai.request('POST', `/v1/handoffs/${h.body.id}/resolve`),
    ];
    expect(refusals.map((r) => [r.status, r.body.error.reason])).toEqual([
      [422, 'handoff_needs_human'],
      [422, 'handoff_needs_human'],
      [422, 'handoff_needs_human'],
    ]);
    expect((await agent.request('GET', `/v1/handoffs/${h.body.id}`)).body.status).toBe('queued');
    expect((await agent.request('GET', `/v1/conversations/${h.body.conversationId}`)).body.status).toBe(
      'waiting_for_human',
    );
    expect((await agent.request('POST', `/v1/handoffs/${h.body.id}/take`)).status).toBe(200);
    const aiResolvesTaken = await ai.request('POST', `/v1/handoffs/${h.body.id}/resolve`);
    expect([aiResolvesTaken.status, aiResolvesTaken.body.error.reason]).toEqual([422, 'handoff_needs_human']);
    expect((await agent.request('POST', `/v1/handoffs/${h.body.id}/resolve`)).body.status).toBe('resolved');
  });
});

describe('handoff subjects', () => {
  it('a new conversation opened by a transfer takes the first 120 characters of the summary, never half an emoji', async () => {
    const customer = (
      await api.request('POST', '/v1/customers', { name: 'Emoji Person', emails: ['emoji-subject@example.com'] })
    ).body;
    const summary = 'a'.repeat(119) + '😀 wants a person\nsecond line';
    const r = await ai.request('POST', '/v1/handoffs', { customerId: customer.id, summary });
    expect(r.status).toBe(201);
    const c = (await api.request('GET', `/v1/conversations/${r.body.conversationId}`)).body;
    expect(c.subject).toBe('a'.repeat(119));
  });
});

describe('handoffs under concurrency', () => {
  it('two agents taking the same handoff at once: exactly one gets it', async () => {
    const conv = await api.request('POST', '/v1/conversations', {
      customerId: fx.customer.id,
      channel: 'chat',
      subject: 'Race',
    });
    const h = await ai.request('POST', '/v1/handoffs', {
      customerId: fx.customer.id,
      conversationId: conv.body.id,
      summary: 'Race test',
    });
    expect(h.status).toBe(201);
    const [a, b] = await Promise.all([
      agent.request('POST', `/v1/handoffs/${h.body.id}/take`),
      (await api.as('agent')).request('POST', `/v1/handoffs/${h.body.id}/take`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 422]);
    const events = (
      await api.request('GET', `/v1/customers/${fx.customer.id}/timeline?types=handoff.taken&limit=200`)
    ).body.events.filter((e: any) => e.data.handoffId === h.body.id);
    expect(events).toHaveLength(1);
  });
});

/**
 * Limits and approvals over the API: the policy (GET/PUT /v1/approval-policy), a refund above an AI agent's limits
 * answered 202 with an approval request instead of running, the daily count, approve (the action runs as the AI's,
 * the approver on the timeline, the customer's confirmation as usual) and decline (the customer is told).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { testApi, type TestApi } from '../support/api.js';
import { placeOrder, useSeededStore, type SeededContext, type Store } from '../support/changes-fixtures.js';

let ctx: SeededContext;
let store: Store;
let admin: TestApi;
let ai: TestApi;
let agent: TestApi;

useSeededStore((c, s) => {
  ctx = c;
  store = s;
});
beforeAll(async () => {
  admin = await testApi(ctx, 'admin');
  ai = await admin.as('ai_agent');
  agent = await admin.as('agent');
});

/** A paid order of three Gold T-shirts ($90 each), nothing shipped: each unit can be refunded by item. */
async function goldOrder() {
  const o = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-GOLD', quantity: 3 }], packageStatus: 'none' });
  return { id: o.id, name: o.name, itemId: o.lines[0]!.id };
}
const refund = (o: { name: string; itemId: string }, quantity: number) => ({
  orderId: o.name,
  items: [{ itemId: o.itemId, quantity }],
  reason: 'customer asked',
});
const refunded = async (orderId: string) => (await getOrderDetails(ctx, { orderId })).totals.refunded;
const events = (type: string) =>
  rows<{ actor_kind: string; actor_id: string; data: any }>(
    ctx.database.db,
    sql`select actor_kind, actor_id, data from timeline_events where type = ${type} order by seq`,
  );

describe('the approval policy', () => {
  it('starts with the documented defaults: AI $100 and 2 a day per customer, agents $500, admins unlimited', async () => {
    const r = await ai.request('GET', '/v1/approval-policy');
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.actors.map((a: any) => [a.actorKind, a]));
    expect(by.ai_agent).toMatchObject({ refundMaxAmount: 10000, refundCurrency: 'USD', refundsPerCustomerPerDay: 2 });
    expect(by.agent).toMatchObject({ refundMaxAmount: 50000, refundCurrency: 'USD', refundsPerCustomerPerDay: null });
    expect(by.admin).toMatchObject({ refundMaxAmount: null, refundsPerCustomerPerDay: null, approvalTools: [] });
  });

  it('is set by an admin only, and a bad limit is a 400 naming the field that changes nothing', async () => {
    const limits = { refundMaxAmount: 60000, refundCurrency: 'USD', refundsPerCustomerPerDay: null, approvalTools: [] };
    expect((await agent.request('PUT', '/v1/approval-policy', { agent: limits })).status).toBe(403);
    const bad = await admin.request('PUT', '/v1/approval-policy', { agent: { ...limits, refundCurrency: null } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('agent.refundCurrency');
    const neg = await admin.request('PUT', '/v1/approval-policy', { agent: { ...limits, refundMaxAmount: -1 } });
    expect(neg.status).toBe(400);
    const ok = await admin.request('PUT', '/v1/approval-policy', { agent: limits });
    expect(ok.status).toBe(200);
    expect(ok.body.actors.find((a: any) => a.actorKind === 'agent')).toMatchObject({
      refundMaxAmount: 60000,
      updatedBy: 'test-admin',
    });
    // Back to the default for the tests below.
    await admin.request('PUT', '/v1/approval-policy', { agent: { ...limits, refundMaxAmount: 50000 } });
  });
});

describe('an AI agent refund above its limit', () => {
  it('answers 202 with the approval request and its preview, and refunds nothing', async () => {
    const o = await goldOrder();
    const r = await ai.request('POST', `/v1/orders/${encodeURIComponent(o.name)}/refunds`, {
      items: [{ itemId: o.itemId, quantity: 2 }],
      reason: 'customer asked',
    });
    expect(r.status).toBe(202);
    expect(r.body.approvalRequired).toMatchObject({
      status: 'pending',
      tool: 'refund_order',
      reasons: ['refund_over_limit'],
      preview: { amount: 18000, currency: 'USD' },
    });
    expect(await refunded(o.id)).toBe(0);
    const listed = await agent.request('GET', '/v1/approvals');
    expect(listed.body.approvals.map((a: any) => a.id)).toContain(r.body.approvalRequired.id);
    // The same call over the tool route and a retry under one key wait on one request.
    const key = { 'idempotency-key': 'ai-refund-2-gold' };
    const t1 = await ai.request('POST', '/v1/tools/refund_order', refund(o, 2), key);
    const t2 = await ai.request('POST', '/v1/tools/refund_order', refund(o, 2), key);
    expect(t1.status).toBe(202);
    expect(t2.body.approvalRequired.id).toBe(t1.body.approvalRequired.id);
  });

  it('runs as the AI agent’s once approved, with the approver on the timeline and the usual confirmation', async () => {
    const o = await goldOrder();
    const asked = await ai.request('POST', '/v1/tools/refund_order', refund(o, 2), { 'idempotency-key': 'k-approve' });
    const id = asked.body.approvalRequired.id;
    // The AI cannot approve its own request.
    expect((await ai.request('POST', `/v1/approvals/${id}/approve`, {})).status).toBe(403);
    const done = await agent.request('POST', `/v1/approvals/${id}/approve`, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'approved', decidedBy: 'test-agent', result: { dryRun: false } });
    expect(await refunded(o.id)).toBe(18000);
    const issued = (await events('refund.issued')).at(-1)!;
    expect(issued).toMatchObject({ actor_kind: 'ai_agent', actor_id: 'test-ai_agent' });
    expect((await events('approval.approved')).at(-1)).toMatchObject({
      actor_kind: 'human',
      actor_id: 'test-agent',
      data: { approvalId: id, requestedBy: 'test-ai_agent' },
    });
    const [outbox] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from outbox where topic = 'refund.issued' and payload->>'orderId' = ${o.id}`,
    );
    expect(outbox!.n).toBe(1);
    // The AI's retry under its key now answers the action's result; deciding again is a conflict.
    const retry = await ai.request('POST', '/v1/tools/refund_order', refund(o, 2), { 'idempotency-key': 'k-approve' });
    expect(retry.status).toBe(200);
    expect(await refunded(o.id)).toBe(18000);
    expect((await agent.request('POST', `/v1/approvals/${id}/decline`, { reason: 'late' })).status).toBe(409);
  });

  it('once declined, is never run: the customer is told why, and the call under its key is refused', async () => {
    const o = await goldOrder();
    const asked = await ai.request('POST', '/v1/tools/refund_order', refund(o, 3), { 'idempotency-key': 'k-decline' });
    const id = asked.body.approvalRequired.id;
    const bad = await agent.request('POST', `/v1/approvals/${id}/decline`, {});
    expect(bad.status).toBe(400);
    const r = await agent.request('POST', `/v1/approvals/${id}/decline`, { reason: 'The items were on final sale' });
    expect(r.body).toMatchObject({ status: 'declined', decisionReason: 'The items were on final sale' });
    expect(await refunded(o.id)).toBe(0);
    const [row] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from outbox where topic = 'approval.declined' and payload->'data'->>'approvalId' = ${id}`,
    );
    expect(row!.n).toBe(1);
    // Delivered as a message to the customer, in the approval.declined template's words.
    await dispatchOutbox(ctx);
    const [told] = await rows<{ body: string }>(
      ctx.database.db,
      sql`select m.body from messages m join conversations c on c.id = m.conversation_id
          where c.customer_id = ${store.mo.id} and m.body like '%final sale%'`,
    );
    expect(told!.body).toContain(
      `We looked at your request on order ${o.name} and cannot go ahead with it: the items were on final sale.`,
    );
    const again = await ai.request('POST', '/v1/tools/refund_order', refund(o, 3), { 'idempotency-key': 'k-decline' });
    expect(again.status).toBe(422);
    expect(again.body.error.reason).toBe('approval_declined');
    expect((await agent.request('POST', `/v1/approvals/${id}/approve`, {})).status).toBe(409);
  });

  it('an agent may not approve above its own limits; an admin may', async () => {
    const o = await placeOrder(ctx, store, { lines: [{ sku: 'SQBR-3.0', quantity: 2 }] });
    const asked = await ai.request('POST', '/v1/tools/refund_order', {
      orderId: o.id,
      items: [{ itemId: o.lines[0]!.id, quantity: 2 }],
      reason: 'duplicate purchase',
    });
    expect(asked.status).toBe(202);
    const id = asked.body.approvalRequired.id;
    expect((await agent.request('POST', `/v1/approvals/${id}/approve`, {})).status).toBe(403);
    expect((await admin.request('POST', `/v1/approvals/${id}/approve`)).status).toBe(200);
    expect(await refunded(o.id)).toBe(100000);
  });
});

describe('over MCP', () => {
  it('answers the approval request as structured content a client accepts, not as an error', async () => {
    const o = await goldOrder();
    const server = createMcpServer(ctx, { caller: { role: 'ai_agent', actor: { kind: 'ai_agent', id: 'mcp-ai' } } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(clientSide);
    await client.listTools(); // the SDK client checks structuredContent against the listed outputSchema
    const r = await client.callTool({ name: 'refund_order', arguments: refund(o, 2) });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      approvalRequired: { status: 'pending', tool: 'refund_order', reasons: ['refund_over_limit'] },
    });
    expect(await refunded(o.id)).toBe(0);
    await client.close();
  });
});

describe('the daily count', () => {
  it('lets the AI agent make 2 refunds a day per customer, then asks; a new day starts again', async () => {
    const o = await goldOrder();
    // Earlier tests made approved refunds for this customer (not counted: a person approved them).
    const first = await ai.request('POST', '/v1/tools/refund_order', refund(o, 1));
    const second = await ai.request('POST', '/v1/tools/refund_order', refund(o, 1));
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await ai.request('POST', '/v1/tools/refund_order', refund(o, 1));
    expect(third.status).toBe(202);
    expect(third.body.approvalRequired.reasons).toEqual(['daily_refund_limit']);
    expect(await refunded(o.id)).toBe(18000);
    // A refused refund gives its use back; an agent is not counted against the AI's limit.
    expect((await agent.request('POST', '/v1/tools/refund_order', refund(o, 1))).status).toBe(200);
    ctx.clock.advance(24 * 3600 * 1000);
    const nextDay = await ai.request('POST', '/v1/tools/refund_order', refund(o, 1), { 'idempotency-key': 'nd' });
    expect(nextDay.status).toBe(422); // every unit is refunded now: refused, and its use given back
    const o2 = await goldOrder();
    expect((await ai.request('POST', '/v1/tools/refund_order', refund(o2, 1))).status).toBe(200);
    expect((await ai.request('POST', '/v1/tools/refund_order', refund(o2, 1))).status).toBe(200);
  });

  it('counts a cancel with a refund, and a dry run is never held', async () => {
    const o = await goldOrder();
    const preview = await ai.request('POST', `/v1/orders/${o.id}/cancel`, { reason: 'customer', dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.preview.refund.amount).toBe(27000);
    const cancel = await ai.request('POST', `/v1/orders/${o.id}/cancel`, { reason: 'customer' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.approvalRequired.reasons).toEqual(['refund_over_limit']);
    expect((await getOrderDetails(ctx, { orderId: o.id })).status).not.toBe('Canceled');
  });
});

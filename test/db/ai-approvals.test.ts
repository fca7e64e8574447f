/**
 * The AI agent under the customer scope and the AI limits (docs/approvals.md), end to end through the fake OpenAI
 * server: a refund above the AI's limit becomes an approval request and the customer is told a person reviews it; an
 * admin's approval over the API runs it once and a turn tells the customer; a decline runs nothing and a person takes
 * over; another customer's order is refused by the scope with nothing changed.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import { answerPending } from '../../src/agent/worker.js';
import { rows } from '../../src/db/database.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';
import { testApi } from '../support/api.js';

let h: AgentHarness;
afterEach(async () => h?.close());

const pick = (sopId: string) => ({ tool: 'start_procedure', args: { sopId } });
const answer = (value: unknown) => ({ tool: 'record_answer', args: { value } });
const BEING_REVIEWED = 'it is being reviewed';

async function refundsOf(orderId: string) {
  return rows<{ id: string; amount: number }>(
    h.ctx.database.db,
    sql`select id, amount::int as amount from refunds where order_id = ${orderId}`,
  );
}

/** Order #1008: a $500.00 online course (no-return, its access code issued), refunded at once — above the $100 limit. */
async function askForRefundOf1008(): Promise<{ approvalId: string; runId: string }> {
  h.fake.queue(pick('cancel-or-refund-order'), answer('mo@example.com'), answer('#1008'));
  await h.exchange('I bought the wrong course, I want my money back');
  await h.exchange('mo@example.com');
  expect(await h.exchange('#1008')).toBe('Which items should be refunded, and how many of each?');
  h.fake.queue(answer([{ itemId: 'li_br200001', quantity: 1 }]));
  await h.exchange('the course');
  h.fake.queue(answer('Wrong edition'), {
    tool: 'put_to_customer',
    args: { text: 'I can refund $500.00 for the course on order #1008.' },
  });
  expect(await h.exchange('I bought the wrong edition')).toContain('I can refund $500.00');
  h.fake.queue({ tool: 'refund_order', args: {} });
  const reviewed = await h.exchange('yes please');
  expect(reviewed).toContain(BEING_REVIEWED);
  const { turns } = await listAiTurns(h.ctx, h.conversationId());
  const last = turns[0]!;
  expect(last.outcome).toBe('waiting');
  const call = last.trace.find((e) => e.type === 'tool_call');
  expect(call).toMatchObject({ tool: 'refund_order', stepId: 'refund_now', approvalId: expect.any(String) });
  return { approvalId: (call as { approvalId: string }).approvalId, runId: last.runId! };
}

describe('the AI agent above its limits', () => {
  it('a refund above the AI limit waits for a person; approved over the API, it runs once and the customer is told', async () => {
    h = await agentHarness();
    const { approvalId, runId } = await askForRefundOf1008();
    expect(await refundsOf('ord_br200001')).toEqual([]);
    const run = await h.deps.engine.view(runId);
    expect(run).toMatchObject({
      status: 'waiting',
      current: { stepId: 'refund_now', needs: 'event', wait: { event: 'approval.decided', approvalId } },
    });
    // The customer writes meanwhile: nothing moves, no model is asked, they hear it is still being reviewed.
    const calls = h.fake.requests.length;
    expect(await h.exchange('any news?')).toContain('still being reviewed');
    expect(h.fake.requests.length).toBe(calls);
    expect(await answerPending(h.deps)).toEqual([]);

    const admin = await testApi(h.ctx, 'admin');
    const ai = await admin.as('ai_agent');
    expect((await ai.request('POST', `/v1/approvals/${approvalId}/approve`, {})).status).toBe(403);
    const approved = await admin.request('POST', `/v1/approvals/${approvalId}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', tool: 'refund_order', reasons: ['refund_over_limit'] });
    expect(await refundsOf('ord_br200001')).toMatchObject([{ amount: 50000 }]);

    // The decision moved the run on; the worker notices without any customer message, and a turn tells them.
    const before = (await h.outbound()).length;
    const done = await answerPending(h.deps);
    expect(done.map((t) => t.outcome)).toEqual(['completed']);
    expect(done[0]!.modelCalls).toBe(0);
    const told = (await h.outbound()).slice(before);
    expect(told).toEqual([
      'Your refund of $500.00 for order #1008 has been issued. You will receive a confirmation by email.',
    ]);
    // Once: another pass finds nothing, looking at the run again runs nothing, the refund is the AI's.
    expect(await answerPending(h.deps)).toEqual([]);
    expect((await h.deps.engine.view(runId)).status).toBe('completed');
    expect(await refundsOf('ord_br200001')).toHaveLength(1);
    const [ev] = await rows<{ actor_kind: string }>(
      h.ctx.database.db,
      sql`select actor_kind from timeline_events where type = 'refund.issued' and order_id = 'ord_br200001'`,
    );
    expect(ev?.actor_kind).toBe('ai_agent');
  });

  it('declined: nothing is refunded, the customer is told by the confirmation, and a person takes over', async () => {
    h = await agentHarness();
    const { approvalId, runId } = await askForRefundOf1008();
    const admin = await testApi(h.ctx, 'admin');
    const declined = await admin.request('POST', `/v1/approvals/${approvalId}/decline`, { reason: 'a gift' });
    expect(declined.status).toBe(200);
    expect(await refundsOf('ord_br200001')).toEqual([]);
    expect((await h.deps.engine.view(runId)).status).toBe('handed_off');
    const before = (await h.outbound()).length;
    expect(await answerPending(h.deps)).toEqual([]);
    expect((await h.outbound()).length).toBe(before);
    const handoffs = await rows<{ summary: string }>(
      h.ctx.database.db,
      sql`select summary from handoffs where conversation_id = ${h.conversationId()}`,
    );
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]!.summary).toContain('approval_declined');
    // The customer hears why through the usual confirmation (the approval.declined template), from the outbox.
    const [told] = await rows<{ n: number }>(
      h.ctx.database.db,
      sql`select count(*)::int as n from outbox where topic = 'approval.declined'`,
    );
    expect(told!.n).toBe(1);
  });
});

describe('the AI agent within its customer scope', () => {
  it("another customer's order is refused outside_customer_scope, and nothing changes", async () => {
    h = await agentHarness();
    h.fake.queue(pick('cancel-or-refund-order'), answer('mo@example.com'), answer('#1005'));
    await h.exchange('cancel my order please');
    await h.exchange('mo@example.com');
    // The scope refuses the read itself: the reply does not even say the order exists.
    expect(await h.exchange('#1005')).toBe('I could not find order #1005.\n\nWhich order is it (for example #1001)?');
    const { turns } = await listAiTurns(h.ctx, h.conversationId());
    const run = await h.deps.engine.view(turns[0]!.runId!);
    expect(run.refusals).toMatchObject([{ stepId: 'order', tool: 'get_order_details' }]);
    expect(run.refusals[0]!.reason).toBe('outside_customer_scope');
    const touched = await rows(
      h.ctx.database.db,
      sql`select id from timeline_events where order_id = 'ord_jo000001' and actor_kind = 'ai_agent'`,
    );
    expect(touched).toEqual([]);
    expect(await rows(h.ctx.database.db, sql`select id from approval_requests`)).toEqual([]);
  });
});

/**
 * A run that hands off puts the customer in the human queue, as transfer_to_human_representative does: the built-in
 * Kogan SOP on the demo store's Kogan order #1002, whose item is delivered, so the store refund needs a return — and
 * that return was started already, so the run cannot start it and hands the case to a person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 3, orders: 10, seed: 1 }, { actor: { kind: 'system' } });
  api = await testApi(ctx, 'agent');
});
afterAll(() => ctx.drop());

describe('handing a run off', () => {
  it('a Kogan refund whose return cannot be started queues a handoff, and tells the customer no tool names', async () => {
    const [olivia] = (await api.request('GET', '/v1/customers?email=kogan.buyer@example.com')).body.customers;
    const order = (await api.request('GET', '/v1/orders/%231002')).body;
    const start = await api.request('POST', '/v1/sop-runs', {
      sopId: 'marketplace-refund-kogan',
      inputs: { email: 'kogan.buyer@example.com', order: '#1002' },
    });
    expect(start.status).toBe(201);
    const item = { itemId: order.lines[0].id, quantity: 1 };
    const started = await api.request('POST', '/v1/tools/initiate_return', {
      orderId: '#1002',
      items: [item],
      reason: 'DAMAGED',
    });
    expect(started.status).toBe(200);
    const id = start.body.id;
    await api.request('POST', `/v1/sop-runs/${id}/steps/ticket`, { evidence: { ticketRef: 'KOG-1' } });
    await api.request('POST', `/v1/sop-runs/${id}/steps/items`, { answer: [item] });
    await api.request('POST', `/v1/sop-runs/${id}/steps/store_refund`, { confirm: true });
    await api.request('POST', `/v1/sop-runs/${id}/steps/return_reason`, { answer: 'DEFECTIVE' });
    const run = (await api.request('POST', `/v1/sop-runs/${id}/steps/start_return`, { confirm: true })).body;
    expect(run.status).toBe('handed_off');
    expect(run.refusals[0]).toMatchObject({ reason: 'return_required' });

    const { handoffs } = (await api.request('GET', '/v1/handoffs')).body;
    const mine = handoffs.filter((h: any) => h.customerId === olivia.id);
    expect(mine).toEqual([
      expect.objectContaining({ status: 'queued', summary: expect.stringContaining(run.handoff.summary) }),
    ]);
    expect(run.handoff.handoffId).toBe(mine[0].id); // the run says which handoff it queued
    expect(mine[0].state.refused).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'refund_order', reason: 'return_required' })]),
    );
    expect((await api.request('GET', `/v1/conversations/${mine[0].conversationId}`)).body.status).toBe(
      'waiting_for_human',
    );
    expect(run.notices.at(-1).message).toContain(mine[0].id);

    const said = run.messages.map((m: any) => [m.text, ...m.disclosures].join(' ')).join(' ');
    expect(said).not.toBe('');
    expect(TOOLS.map((t) => t.name).filter((name) => said.includes(name))).toEqual([]);
  });
});

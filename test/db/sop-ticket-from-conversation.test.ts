/**
 * The Kogan procedure's ticket step is answered by the ticket a run starts from: the demo store's Kogan ticket of
 * Olivia's (KT-4471203, filed on channel kogan by the marketplace mail rule) gives its reference, shown as recorded
 * from the conversation; a run without a conversation, or from one that has no ticket, asks a person, who cannot
 * give a blank reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let olivia: { id: string };

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 3, orders: 10, seed: 1 }, { actor: { kind: 'system' } });
  api = await testApi(ctx, 'agent');
  [olivia] = (await api.request('GET', '/v1/customers?email=kogan.buyer@example.com')).body.customers;
});
afterAll(() => ctx.drop());

const start = (body: Record<string, unknown>) =>
  api.request('POST', '/v1/sop-runs', { sopId: 'marketplace-refund-kogan', ...body });

describe("the Kogan procedure's ticket reference, from the conversation", () => {
  it("started from Olivia's Kogan ticket, the ticket step is answered with its reference, by the runner", async () => {
    const list = (await api.request('GET', '/v1/conversations?channel=kogan&q=KT-4471203')).body.items;
    expect(list).toEqual([expect.objectContaining({ customerId: olivia.id, externalRef: 'KT-4471203' })]);
    const run = await start({ conversationId: list[0].id });
    expect(run.status).toBe(201);
    expect(run.body.completedSteps.slice(0, 2)).toEqual(['ticket', 'email']);
    expect(run.body.evidence[0]).toMatchObject({
      stepId: 'ticket',
      fields: [
        {
          name: 'ticketRef',
          label: 'The Kogan ticket reference',
          value: 'KT-4471203',
          from: 'conversation.ticket',
        },
      ],
      by: { kind: 'system', id: 'sop-runner' },
    });
    // The email and the linked order are known too: the first question left is which items Kogan refunds.
    expect(run.body.current.stepId).toBe('items');
    const history = (await api.request('GET', `/v1/sop-runs/${run.body.id}/history`)).body;
    expect(JSON.stringify(history)).toContain('KT-4471203');
  });

  it('started without a conversation, the ticket step asks a person and refuses a blank reference', async () => {
    const run = (await start({ customerId: olivia.id })).body;
    expect(run.current).toMatchObject({ stepId: 'ticket', needs: 'evidence' });
    expect(run.current.evidence[0]).toMatchObject({ name: 'ticketRef', from: 'conversation.ticket' });
    const blank = await api.request('POST', `/v1/sop-runs/${run.id}/steps/ticket`, {
      evidence: { ticketRef: '   ' },
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error).toMatchObject({
      code: 'invalid_argument',
      reason: 'invalid_evidence',
      fields: [{ path: 'evidence.ticketRef' }],
    });
    const typed = await api.request('POST', `/v1/sop-runs/${run.id}/steps/ticket`, {
      evidence: { ticketRef: 'KT-4471203' },
    });
    expect(typed.status).toBe(200);
    expect(typed.body.evidence[0].fields).toEqual([
      { name: 'ticketRef', label: 'The Kogan ticket reference', value: 'KT-4471203' },
    ]);
  });

  it('started from an email conversation, which has no ticket, the ticket step still asks a person', async () => {
    const mail = await api.request('POST', '/v1/conversations', {
      customerId: olivia.id,
      channel: 'email',
      subject: 'About my Kogan order',
      body: 'The sheet arrived torn.',
    });
    expect(mail.status).toBe(201);
    const run = (await start({ conversationId: mail.body.id })).body;
    expect(run.current).toMatchObject({ stepId: 'ticket', needs: 'evidence' });
    expect(run.completedSteps).toEqual([]);
  });
});

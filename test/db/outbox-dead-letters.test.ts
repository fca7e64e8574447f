/**
 * Deliveries the outbox gave up after the last attempt of its retry schedule are dead letters that people see
 * (`GET /v1/outbox/failed`: error, customer, topic, attempts) and can put back in the queue
 * (`POST /v1/outbox/{id}/retry`); only admins and agents may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import type { OutgoingMail } from '../../src/app/outbox/mailer.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let agent: TestApi;
let fx: InboxFixture;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  agent = await api.as('agent');
  fx = await loadInboxFixture(api.request);
  await dispatchOutbox(ctx);
});
afterAll(() => ctx.drop());

const down = {
  send: async () => {
    throw new Error('421 mail server down for maintenance');
  },
};
const sent: OutgoingMail[] = [];
const up = { send: async (m: OutgoingMail) => void sent.push(m) };
const thread = async () =>
  (await api.request('GET', `/v1/conversations/${fx.conversation.id}`)).body.messages as {
    id: string;
    body: string;
    delivery: string;
  }[];

/** Passes with a two-attempt schedule and no delay, until nothing is left to try. */
async function dispatchUntilQuiet(mailer: typeof down | typeof up) {
  const errors = console.error;
  console.error = () => {};
  try {
    for (let i = 0; i < 6; i++) await dispatchOutbox(ctx, { mailer, retrySchedule: [0] });
  } finally {
    console.error = errors;
  }
}

describe('dead letters', () => {
  it('lists a given-up email with its error, customer, topic and attempts, newest first and in pages', async () => {
    await api.request('POST', `/v1/conversations/${fx.conversation.id}/replies`, { body: 'Your parcel is on its way' });
    await api.request('POST', `/v1/conversations/${fx.conversation.id}/replies`, { body: 'Anything else?' });
    await dispatchUntilQuiet(down);
    const [first, second] = (await thread()).slice(-2);
    expect([first!.delivery, second!.delivery]).toEqual(['failed', 'failed']);

    const list = await agent.request('GET', '/v1/outbox/failed');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { messageId: string }) => i.messageId)).toEqual([second!.id, first!.id]);
    expect(list.body.items[1]).toMatchObject({
      topic: 'message.sent',
      customerId: fx.customer.id,
      customerName: 'Mohammed Ali',
      attempts: 2,
      lastError: '421 mail server down for maintenance',
      conversationId: fx.conversation.id,
      orderId: null,
    });
    expect(list.body.nextCursor).toBeNull();
    const page1 = await agent.request('GET', '/v1/outbox/failed?limit=1');
    const page2 = await agent.request('GET', `/v1/outbox/failed?limit=1&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items].map((i: { id: string }) => i.id)).toEqual(
      list.body.items.map((i: { id: string }) => i.id),
    );
    expect(page2.body.nextCursor).toBeNull();
    expect((await agent.request('GET', '/v1/outbox/failed?limit=0')).body.error.fields[0].path).toBe('limit');
  });

  it('lets only admins and agents see or retry them', async () => {
    for (const role of ['viewer', 'ai_agent'] as const) {
      const other = await api.as(role);
      expect((await other.request('GET', '/v1/outbox/failed')).status, role).toBe(403);
      const [row] = (await agent.request('GET', '/v1/outbox/failed')).body.items;
      expect((await other.request('POST', `/v1/outbox/${row.id}/retry`)).status, role).toBe(403);
    }
  });

  it('retries one: queued again with a fresh schedule, delivered once, recorded on the timeline; a second retry is refused', async () => {
    const items = (await agent.request('GET', '/v1/outbox/failed')).body.items as { id: string; messageId: string }[];
    const oldest = items.at(-1)!;
    const r = await agent.request('POST', `/v1/outbox/${oldest.id}/retry`, undefined, { 'idempotency-key': 'retry-1' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: oldest.id,
      topic: 'message.sent',
      previousAttempts: 2,
      lastError: '421 mail server down for maintenance',
      messageId: oldest.messageId,
    });
    expect(
      (await agent.request('POST', `/v1/outbox/${oldest.id}/retry`, undefined, { 'idempotency-key': 'retry-1' })).body,
    ).toEqual(r.body);
    expect((await thread()).find((m) => m.id === oldest.messageId)!.delivery).toBe('queued');
    expect((await agent.request('GET', '/v1/outbox/failed')).body.items.map((i: { id: string }) => i.id)).not.toContain(
      oldest.id,
    );

    const again = await agent.request('POST', `/v1/outbox/${oldest.id}/retry`);
    expect([again.status, again.body.error.reason]).toEqual([422, 'delivery_not_failed']);

    await dispatchUntilQuiet(up);
    expect(sent.map((m) => m.text)).toEqual(['Your parcel is on its way']);
    expect((await thread()).find((m) => m.id === oldest.messageId)!.delivery).toBe('sent');
    const delivered = await agent.request('POST', `/v1/outbox/${oldest.id}/retry`);
    expect([delivered.status, delivered.body.error.reason, delivered.body.error.message]).toEqual([
      422,
      'delivery_not_failed',
      `Outbox row ${oldest.id} was delivered; there is nothing to retry.`,
    ]);

    const timeline = (await api.request('GET', `/v1/customers/${fx.customer.id}/timeline`)).body.events as {
      type: string;
      data: Record<string, unknown>;
      actor: { kind: string };
    }[];
    expect(timeline.find((e) => e.type === 'outbox.retried')).toMatchObject({
      data: { outboxId: oldest.id, topic: 'message.sent', attempts: 2 },
      actor: { kind: 'human' },
    });
  });

  it('answers 404 for an unknown row and 400 for what is not an outbox row id, changing nothing', async () => {
    const before = (await agent.request('GET', '/v1/outbox/failed')).body;
    expect((await agent.request('POST', '/v1/outbox/obx_00000000000000000000000000/retry')).status).toBe(404);
    const bad = await agent.request('POST', '/v1/outbox/msg_1/retry');
    expect([bad.status, bad.body.error.fields[0].path]).toEqual([400, 'id']);
    expect((await agent.request('GET', '/v1/outbox/failed')).body).toEqual(before);
  });
});

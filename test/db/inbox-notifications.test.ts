import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { startSmtpServer } from '../support/smtp-server.js';
import { dispatchOutbox, pruneOutbox, startOutboxWorker } from '../../src/app/outbox/dispatch-outbox.js';
import { write } from '../../src/app/write.js';
import { smtpMailer } from '../../src/connectors/smtp-mailer.js';
import type { TimelineEvent } from '../../src/domain/timeline.js';
import { sql } from 'drizzle-orm';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let fx: InboxFixture;

beforeAll(async () => {
  ctx = await openTestContext();
  api = await testApi(ctx);
  fx = await loadInboxFixture(api.request);
  await dispatchOutbox(ctx); // the fixture's own events: nothing to notify
});
afterAll(() => ctx.drop());

/** Stands in for an order action (built on another branch): records its event, as runAction's apply would. */
async function recordAction(type: string, orderId: string, data: Record<string, unknown>) {
  await write(ctx, 'test_action', null, { actor: { kind: 'human', id: 'alex' } }, ({ record }) =>
    record({ type, customerId: fx.customer.id, orderId, data } as unknown as TimelineEvent),
  );
}

const thread = async (id: string) => (await api.request('GET', `/v1/conversations/${id}`)).body.messages;

describe('confirmation messages from the outbox (the Shopify order rules)', () => {
  it('without SMTP, a refund confirmation is kept as an outbound message on the latest conversation', async () => {
    const partial = (await api.request('GET', `/v1/orders/${fx.partialOrder.id}`)).body;
    await recordAction('refund.issued', fx.partialOrder.id, {
      amount: 2000,
      currency: 'USD',
      items: [{ itemId: partial.lines[0].id, quantity: 1 }],
      reason: 'DAMAGED',
    });
    const r = await dispatchOutbox(ctx);
    expect(r.failed).toBe(0);
    const last = (await thread(fx.conversation.id)).at(-1);
    expect(last).toMatchObject({ kind: 'outbound', authorKind: 'system', delivery: 'kept' });
    expect(last.body).toContain(
      'We have refunded $20.00 for 1 × Desk lamp — Black on your order ' + fx.partialOrder.name,
    );
    expect(last.body).toContain('Hi Mohammed');
  });

  it('delivers each event once: running the dispatcher again adds nothing', async () => {
    const before = (await thread(fx.conversation.id)).length;
    const r = await dispatchOutbox(ctx);
    expect(r.delivered).toBe(0);
    expect((await thread(fx.conversation.id)).length).toBe(before);
  });

  it('uses the edited template, and refuses a template with an unknown placeholder', async () => {
    const bad = await api.request('PUT', '/v1/templates/order.canceled', {
      subject: 'x',
      body: 'Hi {{customer.nickname}}',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('body');
    for (const [subject, body, field] of [
      ['Canceled', 'Hi {{customer.first_name}}', 'body'],
      ['{{ return.tracking_id }}', 'Hi', 'subject'],
      ['x', '{{order-2}}', 'body'],
    ]) {
      const r = await api.request('PUT', '/v1/templates/order.canceled', { subject, body });
      expect([r.status, r.body.error.fields[0].path]).toEqual([400, field]);
    }
    const agent = await api.as('agent');
    expect((await agent.request('PUT', '/v1/templates/order.canceled', { subject: 'x', body: 'y' })).status).toBe(403);
    const ok = await api.request('PUT', '/v1/templates/order.canceled', {
      subject: 'Order {{order.name}} canceled',
      body: 'Dear {{customer.name}}, {{order.name}} is canceled ({{reason}}).',
    });
    expect(ok.body).toMatchObject({ key: 'order.canceled', customized: true });
    await recordAction('order.canceled', fx.unpaidOrder.id, { reason: 'customer' });
    await dispatchOutbox(ctx);
    expect((await thread(fx.conversation.id)).at(-1).body).toBe(
      `Dear Mohammed Ali, ${fx.unpaidOrder.name} is canceled (customer).`,
    );
    const list = (await api.request('GET', '/v1/templates')).body.templates;
    expect(list.map((t: any) => t.key)).toEqual([
      'order.canceled',
      'refund.issued',
      'return.requested',
      'return.refunded',
      'product.swapped',
      'exchange.requested',
      'approval.declined',
    ]);
    const reset = await api.request('DELETE', '/v1/templates/order.canceled');
    expect(reset.body.customized).toBe(false);
  });

  it('starts a new email conversation when the customer has none open', async () => {
    await api.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'resolved' });
    await api.request('POST', `/v1/conversations/${fx.conversation.id}/status`, { status: 'closed' });
    await recordAction('return.requested', fx.partialOrder.id, {
      returnId: 'ret_abc123',
      trackingId: 'RT-7781',
      items: [],
      reason: 'DAMAGED',
    });
    await dispatchOutbox(ctx);
    const list = (await api.request('GET', `/v1/conversations?customer_id=${fx.customer.id}&status=open`)).body.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      channel: 'email',
      subject: `Your return for order ${fx.partialOrder.name}`,
      tags: ['confirmation'],
    });
    const [m] = await thread(list[0].id);
    expect(m.body).toContain('Your return tracking id is RT-7781');
    expect(m.body).toContain('Shipping fees are not refunded');
  });

  it('with SMTP, sends the confirmation and agent replies by email and marks them sent', async () => {
    const smtp = await startSmtpServer();
    try {
      const mailer = smtpMailer(smtp.url, 'support@shop.example');
      await recordAction('product.swapped', fx.noReturnOrder.id, { fromTitle: 'Course 2.0', toTitle: 'Course 3.0' });
      await dispatchOutbox(ctx, { mailer });
      const conv = (await api.request('GET', `/v1/conversations?customer_id=${fx.customer.id}&status=open`)).body
        .items[0];
      await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body: 'Anything else I can help with?' });
      await dispatchOutbox(ctx, { mailer });
      expect(smtp.mails).toHaveLength(2);
      expect(smtp.mails[0]!.to[0]).toContain(fx.customer.email);
      expect(smtp.mails[0]!.data).toContain('Course 2.0 to Course 3.0');
      expect(smtp.mails[1]!.data).toContain('Anything else I can help with?');
      const msgs = await thread(conv.id);
      expect(msgs.slice(-2).map((m: any) => m.delivery)).toEqual(['sent', 'sent']);
    } finally {
      await smtp.close();
    }
  });

  it("a confirmation on the customer's open conversation is emailed with its template's subject; a reply keeps the thread's Re: subject; both carry the conversation's reply marker", async () => {
    const smtp = await startSmtpServer();
    try {
      const mailer = smtpMailer(smtp.url, 'support@shop.example');
      await dispatchOutbox(ctx, { mailer }); // anything earlier tests left queued
      smtp.mails.length = 0;
      ctx.clock.advance(60_000);
      const conv = await api.request('POST', '/v1/conversations', {
        customerId: fx.customer.id,
        channel: 'email',
        subject: 'Where is my order',
      });
      expect(
        (
          await api.request('PUT', '/v1/templates/order.canceled', {
            subject: 'Order {{order.name}} canceled',
            body: 'Dear {{customer.name}}, canceled.',
          })
        ).status,
      ).toBe(200);
      ctx.clock.advance(60_000);
      await recordAction('order.canceled', fx.unpaidOrder.id, { reason: 'customer' });
      await dispatchOutbox(ctx, { mailer });
      const confirmation = (await thread(conv.body.id)).at(-1);
      expect(confirmation).toMatchObject({
        body: 'Dear Mohammed Ali, canceled.',
        subject: `Order ${fx.unpaidOrder.name} canceled`,
        delivery: 'sent',
      });
      await api.request('POST', `/v1/conversations/${conv.body.id}/replies`, { body: 'Anything else?' });
      await dispatchOutbox(ctx, { mailer });
      const subjects = smtp.mails.map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]);
      const marker = `[#${conv.body.id}]`;
      expect(subjects).toEqual([`Order ${fx.unpaidOrder.name} canceled ${marker}`, `Re: Where is my order ${marker}`]);
    } finally {
      await api.request('DELETE', '/v1/templates/order.canceled');
      await smtp.close();
    }
  });

  it("retries a failed send once the schedule's first delay has passed, not before, and marks the message failed after the last attempt", async () => {
    const smtp = await startSmtpServer({ failFirst: 1 });
    const errors = console.error;
    console.error = () => {};
    try {
      const mailer = smtpMailer(smtp.url, 'support@shop.example');
      const conv = (await api.request('GET', `/v1/conversations?customer_id=${fx.customer.id}&status=open`)).body
        .items[0];
      await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body: 'Retry me' });
      const first = await dispatchOutbox(ctx, { mailer });
      expect(first.failed).toBe(1);
      expect((await thread(conv.id)).at(-1).delivery).toBe('queued');
      // The default schedule waits a minute (± 20 %) before the second attempt: the next passes leave it alone.
      ctx.clock.advance(47_000);
      await dispatchOutbox(ctx, { mailer });
      expect((await thread(conv.id)).at(-1).delivery).toBe('queued');
      expect(smtp.mails).toHaveLength(0);
      ctx.clock.advance(25_000);
      await dispatchOutbox(ctx, { mailer });
      expect((await thread(conv.id)).at(-1).delivery).toBe('sent');
      expect(smtp.mails.map((m) => m.data).join()).toContain('Retry me');

      const broken = {
        send: async () => {
          throw new Error('mail server down');
        },
      };
      await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body: 'Never arrives' });
      for (let i = 0; i < 3; i++) await dispatchOutbox(ctx, { mailer: broken, retrySchedule: [0, 0] });
      expect((await thread(conv.id)).at(-1)).toMatchObject({ delivery: 'failed', deliveryError: 'mail server down' });
    } finally {
      console.error = errors;
      await smtp.close();
    }
  });

  it("a reply that cannot be sent holds back the customer's later ones until it is given up, so mail never arrives out of order", async () => {
    const errors = console.error;
    console.error = () => {};
    try {
      const conv = (
        await api.request('GET', `/v1/conversations?customer_id=${fx.customer.id}&status=open&channel=email`)
      ).body.items[0];
      await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body: 'First' });
      await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body: 'Second' });
      const sent: string[] = [];
      const mailer = {
        send: async (m: { text: string }) => {
          if (m.text.includes('First')) throw new Error('mailbox full');
          sent.push(m.text);
        },
      };
      await dispatchOutbox(ctx, { mailer, retrySchedule: [0] });
      expect(sent).toEqual([]); // First failed once; Second waits behind it
      await dispatchOutbox(ctx, { mailer, retrySchedule: [0] });
      expect(sent).toEqual([]); // First failed its last attempt and is given up
      await dispatchOutbox(ctx, { mailer, retrySchedule: [0] });
      expect(sent).toEqual(['Second']);
      expect(
        (await thread(conv.id)).slice(-2).map((m: { body: string; delivery: string }) => [m.body, m.delivery]),
      ).toEqual([
        ['First', 'failed'],
        ['Second', 'sent'],
      ]);
    } finally {
      console.error = errors;
    }
  });

  it('two dispatchers running at once send each message exactly once (for update skip locked)', async () => {
    const conv = (await api.request('GET', `/v1/conversations?customer_id=${fx.customer.id}&status=open&channel=email`))
      .body.items[0];
    for (let i = 0; i < 6; i++)
      await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body: `Parallel ${i}` });
    const sent: string[] = [];
    const mailer = {
      send: async (m: { text: string }) => {
        await new Promise((r) => setTimeout(r, 5));
        sent.push(m.text);
      },
    };
    await Promise.all([dispatchOutbox(ctx, { mailer, batchSize: 2 }), dispatchOutbox(ctx, { mailer, batchSize: 2 })]);
    await dispatchOutbox(ctx, { mailer });
    expect(sent.filter((t) => t.startsWith('Parallel')).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `Parallel ${i}`));
  });

  /** A reply on the customer's email conversation, as if another dispatcher had claimed it for a minute. */
  async function replyUnderLease(body: string) {
    const conv = (await api.request('GET', `/v1/conversations?customer_id=${fx.customer.id}&status=open&channel=email`))
      .body.items[0];
    await api.request('POST', `/v1/conversations/${conv.id}/replies`, { body });
    const msg = (await thread(conv.id)).at(-1);
    const until = new Date(ctx.clock.now().getTime() + 60_000).toISOString();
    await ctx.database.db.execute(
      sql`update messages set delivery = 'sending', sending_until = ${until}::timestamptz where id = ${msg.id}`,
    );
    return conv;
  }

  it('a send interrupted mid-way (dispatcher gone, lease held) is retried once the lease expires', async () => {
    const conv = await replyUnderLease('Interrupted');
    const sent: string[] = [];
    const mailer = {
      send: async (m: { text: string }) => {
        sent.push(m.text);
      },
    };
    await dispatchOutbox(ctx, { mailer });
    expect(sent).toEqual([]);
    expect((await thread(conv.id)).at(-1).delivery).toBe('sending');
    ctx.clock.advance(3 * 60_000);
    await dispatchOutbox(ctx, { mailer });
    expect(sent).toEqual(['Interrupted']);
    expect((await thread(conv.id)).at(-1).delivery).toBe('sent');
  });

  it('without SMTP, a message another dispatcher holds the sending lease of is left to it until the lease ends, then kept', async () => {
    const conv = await replyUnderLease('Leased');
    await dispatchOutbox(ctx);
    expect((await thread(conv.id)).at(-1).delivery).toBe('sending');
    ctx.clock.advance(3 * 60_000);
    await dispatchOutbox(ctx);
    expect((await thread(conv.id)).at(-1).delivery).toBe('kept');
  });

  it('a marketplace conversation keeps the reply in the thread (answered in the marketplace, the Kogan procedure)', async () => {
    const kogan = await api.request('POST', '/v1/conversations/inbound', {
      customerId: fx.customer.id,
      channel: 'kogan',
      externalRef: 'KT-1',
      subject: 'Refund',
      body: 'Refund please',
    });
    await api.request('POST', `/v1/conversations/${kogan.body.id}/replies`, { body: 'Refunded in the seller portal.' });
    const sent: unknown[] = [];
    await dispatchOutbox(ctx, {
      mailer: {
        send: async (m) => {
          sent.push(m);
        },
      },
    });
    expect(sent).toEqual([]);
    expect((await thread(kogan.body.id)).at(-1).delivery).toBe('kept');
  });
});

describe('macros', () => {
  it('saves a macro, renders its placeholders for a conversation, and refuses unknown placeholders', async () => {
    const agent = await api.as('agent');
    const m = await agent.request('POST', '/v1/macros', {
      name: 'Return steps',
      body: 'Hi {{customer.firstName}}, about {{order.name}}: {{agent.name}} here.',
    });
    expect(m.status).toBe(201);
    const r = await agent.request('POST', `/v1/macros/${m.body.id}/render`, { conversationId: fx.conversation.id });
    expect(r.body.body).toBe(`Hi Mohammed, about ${fx.partialOrder.name}: test-agent here.`);
    const dup = await agent.request('POST', '/v1/macros', { name: 'return steps', body: 'x' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('macro "return steps": a macro with this name already exists.'); // no SQL in what an agent reads
    const bad = await agent.request('POST', '/v1/macros', { name: 'Bad', body: '{{order.total}}' });
    expect(bad.status).toBe(400);
    const proto = await agent.request('POST', '/v1/macros', { name: 'Proto', body: 'Hi {{constructor}} {{toString}}' });
    expect([proto.status, proto.body.error.fields[0].path]).toEqual([400, 'body']);
    const list = await agent.request('GET', '/v1/macros');
    expect(list.body.macros.map((x: any) => x.name)).toEqual(['Return steps']);
    expect(list.body.placeholders['order.name']).toBeDefined();
    const upd = await agent.request('PUT', `/v1/macros/${m.body.id}`, { name: 'Return steps', body: 'Updated' });
    expect(upd.body.body).toBe('Updated');
    expect((await agent.request('DELETE', `/v1/macros/${m.body.id}`)).status).toBe(204);
    expect((await agent.request('GET', '/v1/macros')).body.macros).toEqual([]);
  });
});

describe('the outbox dispatcher under a backlog', () => {
  // Rows still to deliver; the rows given up by the tests above (dead letters) are not.
  const pending = async () =>
    (
      (await ctx.database.db.execute(
        sql`select count(*)::int as n from outbox where delivered_at is null and failed_at is null`,
      )) as unknown as { rows: { n: number }[] }
    ).rows[0]!.n;
  const backlog = async (n: number) => {
    for (let i = 0; i < n; i++) await recordAction('test.backlog', fx.partialOrder.id, { i });
  };

  it("takes a customer's rows one after another, in order, and says while a pass still delivers that more may be waiting", async () => {
    await backlog(3); // one customer's: a pass may take only the oldest
    expect(await dispatchOutbox(ctx, { batchSize: 2, maxPasses: 1 })).toMatchObject({ delivered: 1, more: true });
    expect(await dispatchOutbox(ctx, { batchSize: 2 })).toMatchObject({ delivered: 2, more: false });
    expect(await pending()).toBe(0);
  });

  it('prunes rows delivered before the retention, never one still to deliver or a recent one', async () => {
    await dispatchOutbox(ctx);
    await backlog(2);
    await dispatchOutbox(ctx); // delivered now
    const old = (await ctx.database.db.execute(
      sql`select id from outbox where delivered_at is not null`,
    )) as unknown as { rows: { id: string }[] };
    ctx.clock.advance(8 * 86_400_000);
    await backlog(1);
    await dispatchOutbox(ctx); // delivered eight days later
    await backlog(1); // still to deliver
    const weekAgo = new Date(ctx.clock.now().getTime() - 7 * 86_400_000);
    expect(await pruneOutbox(ctx, weekAgo)).toBe(old.rows.length);
    const left = (await ctx.database.db.execute(
      sql`select count(*)::int as n, count(delivered_at)::int as delivered from outbox where failed_at is null`,
    )) as unknown as { rows: { n: number; delivered: number }[] };
    expect(left.rows[0]).toEqual({ n: 2, delivered: 1 });
    const deadLetters = (await ctx.database.db.execute(
      sql`select count(*)::int as n from outbox where failed_at is not null`,
    )) as unknown as { rows: { n: number }[] };
    expect(deadLetters.rows[0]!.n, 'given-up rows are kept').toBe(2);
    expect(await pending()).toBe(1);
  });

  it('the worker works a backlog off without waiting its interval between rounds', async () => {
    // 25 rows, one per pass: more than one round of 20 passes; with a one-minute interval, only catching up at once
    // delivers them all within the test's time.
    await backlog(25);
    const worker = startOutboxWorker(ctx, { intervalMs: 60_000, batchSize: 1 });
    try {
      for (let waited = 0; (await pending()) > 0 && waited < 10_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      expect(await pending()).toBe(0);
    } finally {
      await worker.stop();
    }
  });
});

/**
 * On PostgreSQL only: many dispatch loops at once while sends keep failing. A failed send is recorded without
 * deadlocking with a concurrent claim of the same row, every message is sent exactly once in the end, and a
 * customer's messages still leave in the order they were written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openTestDatabase, type TestDb } from '../support/db.js';
import { rows } from '../../src/db/database.js';
import type { AppContext } from '../../src/app/context.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { write } from '../../src/app/write.js';
import { customersWithConfirmations } from '../support/outbox-fixtures.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import type { OutgoingMail } from '../../src/app/outbox/mailer.js';

let db: TestDb;
let ctx: AppContext;
/** A clock that moves on at every reading (so no two passes share a time) and can be pushed forward. */
let tick = Date.parse('2026-12-05T09:00:00Z');
const clock = { now: () => new Date(tick++), advance: (ms: number) => void (tick += ms) };

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 12 });
  ctx = { database: db.database, clock };
});
afterAll(() => db.drop());

const FAILURES_PER_MESSAGE = 3;

async function customerWithConfirmation(c: string) {
  const customer = await upsertCustomer(
    ctx,
    CustomerInput.parse({ name: `Customer ${c}`, emails: [`${c}@example.com`] }),
    { actor: { kind: 'system' } },
  );
  await write(ctx, 'test_return', null, { actor: { kind: 'human', id: 'alex' } }, ({ record }) =>
    record({
      type: 'return.requested',
      customerId: customer.id,
      orderId: null,
      data: { trackingId: `RT-${c}` },
    } as never),
  );
  return customer;
}

describe('the outbox with failing sends and many dispatch loops', () => {
  it('records every failure without a deadlock, sends each message once, and keeps each customer’s order', async () => {
    const customers = await customersWithConfirmations(ctx, 10, 5);

    // Each message is refused three times before it goes through, after a short wait (so sends overlap other loops' claims).
    const tries = new Map<string, number>();
    const sent: OutgoingMail[] = [];
    const mailer = {
      async send(mail: OutgoingMail) {
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
        const n = tries.get(mail.messageId) ?? 0;
        tries.set(mail.messageId, n + 1);
        if (n < FAILURES_PER_MESSAGE) throw new Error('451 try again later');
        sent.push(mail);
      },
    };
    const logged: string[] = [];
    const errors = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    const passFailures: unknown[] = [];
    const pending = async () =>
      (
        await rows<{ n: number }>(db.database.db, sql`select count(*)::int as n from outbox where delivered_at is null`)
      )[0]!.n;
    try {
      // Eight loops dispatching back to back, as SOPDESK_OUTBOX_CONCURRENCY loops in a few processes do, while the clock
      // moves on 100 ms every few milliseconds: a row put off after its failure comes due again soon, and a send's
      // 2-minute lease cannot run out while the (instant) send is under way.
      let done = false;
      const loop = async () => {
        while (!done) {
          try {
            await dispatchOutbox(ctx, { mailer, batchSize: 3, retrySchedule: [100, 100, 100, 100, 100] });
          } catch (e) {
            passFailures.push(e instanceof Error && e.cause ? `${e.message.split('\n')[0]}: ${String(e.cause)}` : e);
          }
          await new Promise((r) => setImmediate(r));
        }
      };
      const loops = Array.from({ length: 8 }, loop);
      const started = Date.now();
      while (!done) {
        await new Promise((r) => setTimeout(r, 5));
        clock.advance(100);
        done = (await pending()) === 0 || Date.now() - started > 30_000;
      }
      await Promise.all(loops);
    } finally {
      console.error = errors;
    }

    expect(passFailures.map(String)).toEqual([]);
    expect(logged.filter((l) => /deadlock/i.test(l))).toEqual([]);
    expect(await pending()).toBe(0);
    const ids = sent.map((m) => m.messageId);
    expect(new Set(ids).size, 'each message sent once').toBe(ids.length);
    expect(ids).toHaveLength(customers.length * 5);
    for (const [c, customer] of customers.entries()) {
      const mine = sent.filter((m) => m.to === `c${c}@example.com`).map((m) => /RT-\d+-\d+/.exec(m.text)?.[0]);
      expect(mine, `customer ${c}`).toEqual([0, 1, 2, 3, 4].map((k) => `RT-${c}-${k}`));
      const failed = await rows<{ n: number }>(
        db.database.db,
        sql`
        select count(*)::int as n from messages m join conversations v on v.id = m.conversation_id
        where v.customer_id = ${customer.id} and m.delivery <> 'sent' and m.kind = 'outbound'`,
      );
      expect(failed[0]!.n, `customer ${c}: every message sent`).toBe(0);
    }
  });

  it('records a failed send by locking its row before its message, as a claim does, so the two never wait for each other in a circle', async () => {
    const customer = await customerWithConfirmation('lock-order');
    let refuse!: (e: Error) => void;
    let sending!: () => void;
    const inSend = new Promise<void>((r) => (sending = r));
    const mailer = {
      send: () =>
        new Promise<void>((_, reject) => {
          refuse = reject;
          sending();
        }),
    };
    const errors = console.error;
    console.error = () => {};
    const dispatcher = dispatchOutbox(ctx, { mailer }).then(
      () => 'ok',
      (e: unknown) => String(e instanceof Error && e.cause ? e.cause : e),
    );
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await inSend;
      const [row] = await rows<{ id: string; message_id: string }>(
        db.database.db,
        sql`
        select id, payload->'data'->>'messageId' as message_id from outbox where customer_id = ${customer.id} and topic = 'message.sent'`,
      );
      // Another dispatcher's claim: it holds the row (its lease ran out meanwhile, say) and then asks for the message.
      await other.query('begin');
      await other.query(`set local lock_timeout = '10s'`);
      await other.query('select id from outbox where id = $1 for update', [row!.id]);
      refuse(new Error('451 try again later'));
      await new Promise((r) => setTimeout(r, 300)); // the failure's transaction is now waiting for the row, holding nothing
      const claimSawMessage = await other
        .query('select id from messages where id = $1 for update', [row!.message_id])
        .then(
          () => 'ok',
          (e: unknown) => String(e),
        );
      await other.query('commit');
      expect({ claimSawMessage, dispatcher: await dispatcher }).toEqual({ claimSawMessage: 'ok', dispatcher: 'ok' });
      const [after] = await rows<{ attempts: number; retry_in: number; delivery: string }>(
        db.database.db,
        sql`
        select o.attempts, extract(epoch from o.leased_until)::float8 * 1000 - ${clock.now().getTime()} as retry_in, m.delivery
        from outbox o join messages m on m.id = ${row!.message_id} where o.id = ${row!.id}`,
      );
      expect(after).toMatchObject({ attempts: 1, delivery: 'queued' });
      expect(after!.retry_in).toBeGreaterThan(30_000); // put off by the schedule's first delay, about a minute
    } finally {
      console.error = errors;
      await other.end();
    }
  });
});

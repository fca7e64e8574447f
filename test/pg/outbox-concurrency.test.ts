/**
 * On PostgreSQL only: several dispatchers working one outbox at once. A customer's confirmations are delivered in the
 * order their events were written, into one conversation — never two conversations opened by two dispatchers that
 * each found the customer without one, and never a later confirmation ahead of an earlier one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDb } from '../support/db.js';
import { rows } from '../../src/db/database.js';
import type { AppContext } from '../../src/app/context.js';
import { customersWithConfirmations } from '../support/outbox-fixtures.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';

let db: TestDb;
let ctx: AppContext;

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 8 });
  // A clock that moves on at every reading, so that two passes never share a time and a stamp out of turn shows.
  let tick = Date.parse('2026-12-02T09:00:00Z');
  ctx = { database: db.database, clock: { now: () => new Date(tick++) } };
});
afterAll(() => db.drop());

describe('the outbox with several dispatchers', () => {
  it("delivers each customer's confirmations in order, into one conversation", async () => {
    const customers = await customersWithConfirmations(ctx, 8, 5);
    const pending = async () =>
      (
        await rows<{ n: number }>(db.database.db, sql`select count(*)::int as n from outbox where delivered_at is null`)
      )[0]!.n;
    // Four dispatchers taking two rows at a time, so that every customer's rows are spread over several of them.
    while ((await pending()) > 0) await Promise.all([1, 2, 3, 4].map(() => dispatchOutbox(ctx, { batchSize: 2 })));

    for (const [c, customer] of customers.entries()) {
      const threads = await rows<{ id: string }>(
        db.database.db,
        sql`select id from conversations where customer_id = ${customer.id}`,
      );
      expect(threads, `customer ${c}`).toHaveLength(1);
      const messages = await rows<{ body: string }>(
        db.database.db,
        sql`
        select body from messages where conversation_id = ${threads[0]!.id} order by seq`,
      );
      const stamps = (
        await rows<{ at: number }>(
          db.database.db,
          sql`
        select (extract(epoch from created_at) * 1000000)::bigint::float8 as at from messages where conversation_id = ${threads[0]!.id} order by seq`,
        )
      ).map((m) => Number(m.at));
      expect(stamps, `customer ${c}: times follow the thread order`).toEqual([...stamps].sort((a, b) => a - b));
      expect(
        messages.map((m) => /RT-\d+-\d+/.exec(m.body)?.[0]),
        `customer ${c}`,
      ).toEqual([0, 1, 2, 3, 4].map((k) => `RT-${c}-${k}`));
    }
  });
});

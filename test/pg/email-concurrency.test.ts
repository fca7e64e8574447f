/**
 * On PostgreSQL only: two mail readers on one mailbox (two server processes with SOPDESK_WORKERS), reading at the same
 * moment. Each message is stored once, a new sender becomes one customer, and every stored message ends seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { startDovecot, type Dovecot } from '../support/dovecot.js';
import { FixedClock } from '../../src/kernel/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { imapMailbox, parseImapUrl } from '../../src/connectors/imap/imap-mailbox.js';
import { readMailboxOnce } from '../../src/app/email/read-mailbox.js';
import { rows } from '../../src/db/database.js';

let db: TestDb;
let ctx: AppContext;
let dovecot: Dovecot;

beforeAll(async () => {
  [db, dovecot] = await Promise.all([openTestDatabase({ poolSize: 8 }), startDovecot()]);
  ctx = { database: db.database, clock: new FixedClock(T0) };
}, 120_000);
afterAll(async () => {
  await dovecot?.stop();
  await db?.drop();
});

describe('two mail readers on one mailbox', () => {
  it('store each message once and make each new sender one customer', async () => {
    const raw = Array.from(
      { length: 40 },
      (_, i) =>
        `From: sender${i % 8}@example.com\nSubject: Question ${i}\nMessage-ID: <q${i}@example.com>\n\nQuestion ${i}?`,
    );
    const uids = await dovecot.deliver(...raw);
    const port = imapMailbox(parseImapUrl(dovecot.url));
    const [a, b] = await Promise.all([port.open(), port.open()]);
    try {
      const results = await Promise.all([
        readMailboxOnce(ctx, a, { batchSize: 5 }),
        readMailboxOnce(ctx, b, { batchSize: 7 }),
      ]);
      expect(results[0]!.stored + results[1]!.stored).toBe(40);
      expect(results[0]!.duplicate + results[1]!.duplicate).toBeLessThanOrEqual(40);
    } finally {
      await a.close();
      await b.close();
    }
    const [counts] = await rows<{ messages: number; emails: number; customers: number }>(
      ctx.database.db,
      sql`select (select count(*)::int from messages) as messages, (select count(*)::int from email_messages) as emails,
                 (select count(*)::int from customers) as customers`,
    );
    expect(counts).toEqual({ messages: 40, emails: 40, customers: 8 });
    expect(await dovecot.seen()).toEqual(uids);
  }, 60_000);
});

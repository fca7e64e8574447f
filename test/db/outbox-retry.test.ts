/**
 * The outbox's retry schedule against a real SMTP conversation (nodemailer to a test server on a free port): a mail
 * server that turns every connection away for half an hour of the injected clock costs no confirmation, and none is
 * sent twice — each goes out exactly once after the outage, in each customer's order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { startSmtpServer } from '../support/smtp-server.js';
import { rows } from '../../src/db/database.js';
import { customersWithConfirmations } from '../support/outbox-fixtures.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { smtpMailer } from '../../src/connectors/smtp-mailer.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;

beforeAll(async () => {
  ctx = await openTestContext();
});
afterAll(() => ctx.drop());

const CUSTOMERS = 30;
const PER_CUSTOMER = 3;
const MINUTE = 60_000;

describe('a mail server outage', () => {
  it('of 30 minutes loses no confirmation and sends none twice: all 90 go out once, in order, after it ends', async () => {
    const start = ctx.clock.now().getTime();
    const outageEnds = start + 30 * MINUTE;
    const smtp = await startSmtpServer({ refuse: () => ctx.clock.now().getTime() < outageEnds });
    const mailer = smtpMailer(smtp.url, 'support@shop.example');
    const logged: string[] = [];
    const errors = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    try {
      const customers = await customersWithConfirmations(ctx, CUSTOMERS, PER_CUSTOMER);
      // The worker's passes, a minute of the clock apart until every confirmation is out, then ten minutes apart, for
      // five hours: through the outage and long after it.
      for (
        let t = start;
        t < start + 5 * 60 * MINUTE;
        t += smtp.mails.length < CUSTOMERS * PER_CUSTOMER ? MINUTE : 10 * MINUTE
      ) {
        ctx.clock.set(new Date(t));
        await dispatchOutbox(ctx, { mailer });
        if (t < outageEnds) expect(smtp.mails, 'nothing gets through during the outage').toHaveLength(0);
      }

      expect(smtp.refused(), 'the outage was met').toBeGreaterThanOrEqual(CUSTOMERS * PER_CUSTOMER);
      const ids = smtp.mails.map((m) => /^Message-ID: (.*)$/im.exec(m.data)?.[1]);
      expect(ids).toHaveLength(CUSTOMERS * PER_CUSTOMER);
      expect(new Set(ids).size, 'each confirmation once').toBe(CUSTOMERS * PER_CUSTOMER);
      for (let c = 0; c < CUSTOMERS; c++) {
        const mine = smtp.mails
          .filter((m) => m.to[0]!.includes(`c${c}@example.com`))
          .map((m) => /RT-\d+-\d+/.exec(m.data)?.[0]);
        expect(mine, `customer ${c}`).toEqual([0, 1, 2].map((k) => `RT-${c}-${k}`));
      }
      const [left] = await rows<{ undelivered: number; given_up: number; unsent: number }>(
        ctx.database.db,
        sql`
        select (select count(*)::int from outbox where delivered_at is null) as undelivered,
               (select count(*)::int from outbox where failed_at is not null) as given_up,
               (select count(*)::int from messages where kind = 'outbound' and delivery <> 'sent') as unsent`,
      );
      expect(left).toEqual({ undelivered: 0, given_up: 0, unsent: 0 });
      expect(
        logged.some((l) => /failed \(attempt 1 of 8; next at/.test(l)),
        'each failure says when it is tried next',
      ).toBe(true);
    } finally {
      console.error = errors;
      await smtp.close();
    }
  });
});

/**
 * `npm run bench -- email`: inbound email stored per second from a full mailbox. A Dovecot (test/support/dovecot.ts)
 * gets BENCH_EMAIL_MESSAGES messages (default 1,000) by IMAP APPEND: a quarter of them open threads from new senders,
 * the rest reply to the sender's previous mail by In-Reply-To, one in twenty is an auto-reply. Then the mail reader
 * reads the mailbox to its end once, on a fresh PostgreSQL database, and the time from its first fetch to the last
 * message marked seen is taken; pgbench's TPC-B runs after it, so the figure sits beside the machine's.
 */
import { sql } from 'drizzle-orm';
import { startDovecot } from '../test/support/dovecot.js';
import { openDatabase, rows } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { imapMailbox, parseImapUrl } from '../src/connectors/imap/imap-mailbox.js';
import { readMailboxOnce } from '../src/app/email/read-mailbox.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const MESSAGES = Number(process.env.BENCH_EMAIL_MESSAGES ?? 1000);

function message(i: number): string {
  const senders = Math.max(1, Math.floor(MESSAGES / 4));
  const sender = i % senders;
  const previous = i >= senders ? `In-Reply-To: <bench-${i - senders}@mail.example>\n` : '';
  const auto = i % 20 === 19 ? 'Auto-Submitted: auto-replied\n' : '';
  return (
    `From: Customer ${sender} <customer${sender}@mail.example>\nTo: support@shop.test\n` +
    `Subject: ${previous ? 'Re: ' : ''}Order question ${sender}\nMessage-ID: <bench-${i}@mail.example>\n${previous}${auto}` +
    `Date: Fri, 20 Nov 2026 10:00:00 +0000\n\nHello, about my order (message ${i}).\n\n> an earlier message, quoted\n\n-- \nCustomer ${sender}`
  );
}

export async function emailInbound() {
  const db = await scratchDatabase('email');
  const dovecot = await startDovecot();
  try {
    const database = await openDatabase({ url: db.url, poolSize: 4 });
    const ctx = { database, clock: systemClock } as Parameters<typeof readMailboxOnce>[0];
    log(`delivering ${MESSAGES} messages to Dovecot`);
    const t0 = performance.now();
    for (let i = 0; i < MESSAGES; i += 100)
      await dovecot.deliver(...Array.from({ length: Math.min(100, MESSAGES - i) }, (_, k) => message(i + k)));
    const deliverSeconds = (performance.now() - t0) / 1000;
    log('reading the mailbox');
    const session = await imapMailbox(parseImapUrl(dovecot.url)).open();
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const result = await readMailboxOnce(ctx, session);
    const seconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await session.close();
    const [counts] = await rows<{ conversations: number; messages: number }>(
      database.db,
      sql`select (select count(*)::int from conversations) as conversations, (select count(*)::int from messages) as messages`,
    );
    await database.close();
    log('pgbench TPC-B, 8 clients, 10 s');
    const pgbenchTpcb = await pgbench('tpcb', 8, 10);
    return {
      messages: MESSAGES,
      ...result,
      conversations: counts!.conversations,
      storedMessages: counts!.messages,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round((result.stored + result.ignored) / seconds),
      cpuMsPerMessage: Number(((cpu.user + cpu.system) / 1000 / MESSAGES).toFixed(2)),
      appendSeconds: Number(deliverSeconds.toFixed(2)),
      pgbenchTpcb,
    };
  } finally {
    await dovecot.stop();
    await db.drop();
  }
}

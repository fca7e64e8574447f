/**
 * `npm run bench -- email`: inbound email stored per second from a full mailbox. A Dovecot (test/support/dovecot.ts)
 * gets BENCH_EMAIL_MESSAGES messages (default 10,000) by IMAP APPEND: a quarter of them open threads from new senders,
 * the rest reply to the sender's previous mail by In-Reply-To, one in twenty is an auto-reply. Then the mail reader
 * reads the mailbox to its end once, on a fresh PostgreSQL database, and the time from its first fetch to the last
 * message marked seen is taken. Then, caught up, the reader runs as the server runs it (IDLE on the full mailbox) and
 * BENCH_EMAIL_LIVE new messages (default 20) are appended one at a time: the time from each APPEND to its row in the
 * database. pgbench's TPC-B runs after it, so the figures sit beside the machine's.
 */
import { sql } from 'drizzle-orm';
import { startDovecot } from '../test/support/dovecot.js';
import { openDatabase, rows } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { imapMailbox, parseImapUrl } from '../src/connectors/imap/imap-mailbox.js';
import { readMailboxOnce, startMailReader } from '../src/app/email/read-mailbox.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const MESSAGES = Number(process.env.BENCH_EMAIL_MESSAGES ?? 10_000);
const LIVE = Number(process.env.BENCH_EMAIL_LIVE ?? 20);

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
    log(`caught up; ${LIVE} new messages, one at a time, while the reader idles`);
    const reader = startMailReader(ctx, imapMailbox(parseImapUrl(dovecot.url)), { pollMs: 60_000 });
    await reader.nextPass();
    const arrivals: number[] = [];
    for (let i = 0; i < LIVE; i++) {
      const id = `<bench-live-${i}@mail.example>`;
      const raw =
        `From: Live ${i} <live${i}@mail.example>\nTo: support@shop.test\nSubject: New question ${i}\nMessage-ID: ${id}\n` +
        `Date: Fri, 20 Nov 2026 11:00:00 +0000\n\nA new question (${i}).`;
      const sent = performance.now();
      await dovecot.deliver(raw);
      for (;;) {
        const [hit] = await rows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from email_messages where email_message_id = ${id}`,
        );
        if (hit!.n) break;
        if (performance.now() - sent > 30_000) throw new Error(`${id} did not arrive within 30 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      arrivals.push(performance.now() - sent);
    }
    await reader.stop();
    const sorted = [...arrivals].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
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
      newMessageMs: { samples: LIVE, p50: at(0.5), max: at(1) },
      pgbenchTpcb,
    };
  } finally {
    await dovecot.stop();
    await db.drop();
  }
}

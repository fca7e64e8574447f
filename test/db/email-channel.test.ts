/**
 * The email channel against a real IMAP server (Dovecot) and a real SMTP sink: mail in, threaded and filtered; replies
 * out with the headers that thread them in the customer's mail client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { startDovecot, type Dovecot } from '../support/dovecot.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { imapMailbox, parseImapUrl } from '../../src/connectors/imap/imap-mailbox.js';
import { readMailboxOnce, startMailReader } from '../../src/app/email/read-mailbox.js';
import { receiveEmail } from '../../src/app/email/receive-email.js';
import type { MailboxPort, MailboxSession } from '../../src/app/email/mailbox.js';
import type { MarketplaceRule } from '../../src/domain/email.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { smtpMailer } from '../../src/connectors/smtp-mailer.js';
import { rows } from '../../src/db/database.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
let fx: InboxFixture;
let dovecot: Dovecot;
let mailbox: MailboxPort;

const RULES: MarketplaceRule[] = [
  {
    channel: 'kogan',
    from: '@marketplace\\.kogan\\.test$',
    subject: 'ticket (?<ref>KT-\\d+)',
    customerEmail: 'Customer email: (\\S+@\\S+)',
  },
];

beforeAll(async () => {
  [ctx, dovecot] = await Promise.all([openTestContext(), startDovecot()]);
  api = await testApi(ctx);
  fx = await loadInboxFixture(api.request);
  await dispatchOutbox(ctx);
  mailbox = imapMailbox(parseImapUrl(dovecot.url));
}, 120_000);
afterAll(async () => {
  await dovecot?.stop();
  await ctx?.drop();
});

let n = 0;
/** A message as a mail server delivers it; a Message-ID unless one is given (or `null` for none). */
function mail(headers: Record<string, string | null>, body: string): string {
  const h = {
    'Message-ID': `<m${++n}.${Date.now()}@mail.example>`,
    Date: 'Fri, 20 Nov 2026 10:00:00 +0000',
    ...headers,
  };
  return `${Object.entries(h)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n\n${body}`;
}

async function readAll(opts: Parameters<typeof readMailboxOnce>[2] = {}) {
  const session = await mailbox.open();
  try {
    return await readMailboxOnce(ctx, session, { marketplaceRules: RULES, ...opts });
  } finally {
    await session.close();
  }
}

const q = <T>(text: string, ...params: unknown[]) =>
  rows<T>(ctx.database.db, sql.raw(text.replace(/\$(\d+)/g, (_, i) => `'${String(params[Number(i) - 1])}'`)));

async function conversationsOf(email: string) {
  return q<{ id: string; channel: string; subject: string; external_ref: string | null }>(
    `select c.id, c.channel, c.subject, c.external_ref from conversations c join customer_emails e on e.customer_id = c.customer_id
      where lower(e.email) = lower($1) order by c.created_at, c.id`,
    email,
  );
}
const thread = async (id: string) =>
  (await api.request('GET', `/v1/conversations/${id}`)).body.messages as { kind: string; body: string }[];

describe('email in', () => {
  it('an unknown sender becomes a customer with a new email conversation; quotes and signature fold away, the full text is kept; the message is marked seen once stored', async () => {
    const [uid] = await dovecot.deliver(
      mail(
        { From: 'Priya Nair <Priya.Nair@example.org>', To: 'support@shop.test', Subject: 'Lamp arrived broken' },
        'Hello, the lamp arrived broken.\n\nOn Thu, 19 Nov 2026 at 09:00, Shop <support@shop.test> wrote:\n> Thanks for your order\n\n-- \nPriya',
      ),
    );
    expect(await readAll()).toEqual({ stored: 1, duplicate: 0, ignored: 0 });
    const [c] = await conversationsOf('priya.nair@example.org');
    expect(c).toMatchObject({ channel: 'email', subject: 'Lamp arrived broken' });
    const [customer] = await q<{ name: string }>(
      `select name from customers join customer_emails e on e.customer_id = customers.id where e.email = $1`,
      'priya.nair@example.org',
    );
    expect(customer!.name).toBe('Priya Nair');
    expect((await thread(c!.id)).map((m) => m.body)).toEqual(['Hello, the lamp arrived broken.']);
    const [stored] = await q<{ full_text: string }>(
      `select full_text from email_messages where conversation_id = $1`,
      c!.id,
    );
    expect(stored!.full_text).toContain('> Thanks for your order');
    expect(await dovecot.seen()).toContain(uid);
  });

  it('a known customer is found by any of their emails; an HTML-only mail becomes plain text, scripts and markup gone', async () => {
    await q(
      `insert into customer_emails (customer_id, email, is_primary) values ($1, 'mo.work@example.net', false)`,
      fx.customer.id,
    );
    await dovecot.deliver(
      mail(
        { From: 'mo.work@example.net', Subject: 'Invoice please', 'Content-Type': 'text/html; charset=utf-8' },
        '<html><head><style>p{color:red}</style></head><body><p>Could I get an <b>invoice</b> &amp; receipt?</p><script>alert(1)</script></body></html>',
      ),
    );
    await readAll();
    const convs = await q<{ id: string; customer_id: string }>(
      `select id, customer_id from conversations where subject = 'Invoice please'`,
    );
    expect(convs).toHaveLength(1);
    expect(convs[0]!.customer_id).toBe(fx.customer.id);
    const body = (await thread(convs[0]!.id)).at(-1)!.body;
    expect(body).toBe('Could I get an invoice & receipt?');
  });

  it('a reply to our email joins its conversation by In-Reply-To; our reply goes out with Message-ID, In-Reply-To, References and the From name', async () => {
    const first = mail({ From: 'sam@example.com', Subject: 'Where is my parcel?' }, 'Order #1001 has not arrived.');
    const firstId = /^Message-ID: (.*)$/m.exec(first)![1]!;
    await dovecot.deliver(first);
    await readAll();
    const [c] = await conversationsOf('sam@example.com');
    const sink = await startSmtpSink();
    try {
      await api.request('POST', `/v1/conversations/${c!.id}/replies`, { body: 'It ships tomorrow.' });
      await dispatchOutbox(ctx, { mailer: smtpMailer(sink.url, 'support@shop.test', 'Shop Support') });
      expect(sink.mails).toHaveLength(1);
      const out = sink.mails[0]!;
      expect(out.messageId).toMatch(/^<msg_[0-9a-z]{26}@shop\.test>$/);
      expect(out.inReplyTo).toBe(firstId);
      expect(out.references).toBe(firstId);
      expect(out.from?.value[0]).toEqual({ name: 'Shop Support', address: 'support@shop.test' });
      expect(out.subject).toBe(`Re: Where is my parcel? [#${c!.id}]`);
      await dovecot.deliver(
        mail(
          {
            From: 'sam@example.com',
            Subject: 'Re: Where is my parcel?',
            'In-Reply-To': out.messageId!,
            References: `${firstId} ${out.messageId}`,
          },
          'Thanks!\n\n> It ships tomorrow.',
        ),
      );
      expect(await readAll()).toMatchObject({ stored: 1 });
      expect(await conversationsOf('sam@example.com')).toHaveLength(1);
      expect((await thread(c!.id)).map((m) => [m.kind, m.body])).toEqual([
        ['inbound', 'Order #1001 has not arrived.'],
        ['outbound', 'It ships tomorrow.'],
        ['inbound', 'Thanks!'],
      ]);
      // The next reply answers the newest email and carries the whole chain.
      await api.request('POST', `/v1/conversations/${c!.id}/replies`, { body: 'You are welcome.' });
      await dispatchOutbox(ctx, { mailer: smtpMailer(sink.url, 'support@shop.test') });
      const second = sink.mails[1]!;
      expect(second.references).toEqual([firstId, out.messageId, second.inReplyTo]);
    } finally {
      await sink.close();
    }
  });

  it('a reply whose client dropped In-Reply-To and References joins by the marker in its subject', async () => {
    await dovecot.deliver(mail({ From: 'lee@example.com', Subject: 'Size exchange' }, 'Can I swap for an M?'));
    await readAll();
    const [c] = await conversationsOf('lee@example.com');
    await dovecot.deliver(mail({ From: 'lee@example.com', Subject: `RE: Size exchange [#${c!.id}]` }, 'Any news?'));
    await readAll();
    expect(await conversationsOf('lee@example.com')).toHaveLength(1);
    expect((await thread(c!.id)).map((m) => m.body)).toEqual(['Can I swap for an M?', 'Any news?']);
    // Another sender quoting the marker does not get into this customer's conversation.
    await dovecot.deliver(mail({ From: 'stranger@example.com', Subject: `Fwd: Size exchange [#${c!.id}]` }, 'Hi'));
    await readAll();
    expect((await thread(c!.id)).length).toBe(2);
    expect(await conversationsOf('stranger@example.com')).toHaveLength(1);
  });

  it('auto-replies, bounces and list mail open no conversation, make no customer, and stay unread', async () => {
    const before = await q<{ n: number }>('select count(*)::int as n from conversations');
    const uids = await dovecot.deliver(
      mail({ From: 'away@example.com', Subject: 'Out of office', 'Auto-Submitted': 'auto-replied' }, 'I am away.'),
      mail({ From: 'news@example.com', Subject: 'Weekly deals', Precedence: 'bulk' }, 'Deals!'),
      mail({ From: 'list@example.com', Subject: 'Digest', 'List-Id': '<users.lists.example.com>' }, 'Digest'),
      mail(
        {
          From: 'MAILER-DAEMON@mx.example.com',
          Subject: 'Undelivered Mail Returned to Sender',
          'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"',
          'MIME-Version': '1.0',
        },
        '--b1\nContent-Type: text/plain\n\nDelivery failed.\n--b1\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--b1--',
      ),
    );
    expect(await readAll()).toEqual({ stored: 0, duplicate: 0, ignored: 4 });
    expect(await q<{ n: number }>('select count(*)::int as n from conversations')).toEqual(before);
    expect(await conversationsOf('away@example.com')).toEqual([]);
    expect(
      await q(
        'select 1 from customer_emails where email in ($1, $2)',
        'away@example.com',
        'mailer-daemon@mx.example.com',
      ),
    ).toEqual([]);
    const seen = await dovecot.seen();
    expect(uids.filter((u) => seen.includes(u))).toEqual([]);
    // …and the reader does not look at them again.
    expect(await readAll()).toEqual({ stored: 0, duplicate: 0, ignored: 0 });
  });

  it('an attachment is kept and listed in the thread', async () => {
    const pdf = Buffer.from('%PDF-1.4 a receipt').toString('base64');
    await dovecot.deliver(
      mail(
        {
          From: 'ana@example.com',
          Subject: 'Receipt attached',
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="xx"',
        },
        `--xx\nContent-Type: text/plain\n\nHere is my receipt.\n--xx\nContent-Type: application/pdf; name="receipt.pdf"\nContent-Disposition: attachment; filename="receipt.pdf"\nContent-Transfer-Encoding: base64\n\n${pdf}\n--xx--`,
      ),
    );
    await readAll();
    const [c] = await conversationsOf('ana@example.com');
    const [m] = await thread(c!.id);
    expect(m!.body).toBe('Here is my receipt.\n\nAttachments:\n- receipt.pdf (application/pdf, 18 B)');
    const [a] = await q<{ filename: string; size: number; content: string }>(
      `select filename, size, convert_from(content, 'UTF8') as content from email_attachments a join messages m on m.id = a.message_id where m.conversation_id = $1`,
      c!.id,
    );
    expect(a).toEqual({ filename: 'receipt.pdf', size: 18, content: '%PDF-1.4 a receipt' });
  });

  it('an agent sees the attachments of a customer email and downloads each as it was sent, named safely', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
    const html = '<script>alert(1)</script>';
    await dovecot.deliver(
      mail(
        {
          From: 'ben@example.com',
          Subject: 'Photos',
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="b"',
        },
        [
          '--b\nContent-Type: text/plain\n\nThe parcel arrived broken.',
          `--b\nContent-Type: image/png\nContent-Disposition: attachment; filename="../../Fotó 1.png"\nContent-Transfer-Encoding: base64\n\n${png.toString('base64')}`,
          `--b\nContent-Type: text/html\nContent-Disposition: attachment; filename="page.html"\n\n${html}`,
          '--b--',
        ].join('\n'),
      ),
    );
    await readAll();
    const [c] = await conversationsOf('ben@example.com');
    const detail = (await api.request('GET', `/v1/conversations/${c!.id}`)).body;
    const m = detail.messages[0];
    expect(m.attachments).toEqual([
      { position: 0, filename: '../../Fotó 1.png', contentType: 'image/png', size: png.length, stored: true },
      { position: 1, filename: 'page.html', contentType: 'text/html', size: html.length, stored: true },
    ]);
    const base = `/v1/conversations/${c!.id}/messages/${m.id}/attachments`;

    const image = await api.raw('GET', `${base}/0?inline=true`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toBe(
      `inline; filename="Fot_ 1.png"; filename*=UTF-8''Fot%C3%B3%201.png`,
    );
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(png);

    // HTML is a download even when asked inline, and runs nothing if opened.
    const page = await api.raw('GET', `${base}/1?inline=true`);
    expect(page.headers.get('content-disposition')).toMatch(/^attachment; filename="page.html"/);
    expect(page.headers.get('content-security-policy')).toContain('sandbox');
    expect(await page.text()).toBe(html);

    // Another conversation's id, a position it does not have, a malformed one: nothing is served.
    const other = (await conversationsOf('ana@example.com'))[0]!.id;
    expect((await api.request('GET', `/v1/conversations/${other}/messages/${m.id}/attachments/0`)).status).toBe(404);
    expect((await api.request('GET', `${base}/2`)).status).toBe(404);
    expect((await api.request('GET', `${base}/..%2F1`)).status).toBe(400);
    expect((await api.request('GET', `${base}/-1`)).status).toBe(400);
    // A file over the size limit was listed but left in the mailbox: the answer says so.
    await q(`update email_attachments set content = null where message_id = $1 and position = 1`, m.id);
    const left = await api.request('GET', `${base}/1`);
    expect(left.status).toBe(404);
    expect(left.body.error.reason).toBe('attachment_not_stored');
    expect((await api.request('GET', `/v1/conversations/${c!.id}`)).body.messages[0].attachments[1].stored).toBe(false);
  });

  it('a crash between fetch and store loses nothing and doubles nothing; a second fetch of stored mail stores nothing', async () => {
    const uids = await dovecot.deliver(
      ...[1, 2, 3, 4, 5].map((i) =>
        mail({ From: 'crash@example.com', Subject: `Question ${i}` }, `Question number ${i}`),
      ),
    );
    let calls = 0;
    await expect(
      readAll({
        batchSize: 5,
        receive: async (c, m, o) => {
          if (++calls === 3) throw new Error('the process died');
          return receiveEmail(c, m, o);
        },
      }),
    ).rejects.toThrow('the process died');
    expect(await conversationsOf('crash@example.com')).toHaveLength(2);
    // Each message is marked seen once stored: the two stored are, the one the crash hit and those after are not.
    expect((await dovecot.seen()).filter((u) => uids.includes(u))).toEqual(uids.slice(0, 2));
    expect(await readAll()).toEqual({ stored: 3, duplicate: 0, ignored: 0 });
    const subjects = (await conversationsOf('crash@example.com')).map((c) => c.subject).sort();
    expect(subjects).toEqual([1, 2, 3, 4, 5].map((i) => `Question ${i}`));
    expect((await dovecot.seen()).filter((u) => uids.includes(u))).toEqual(uids);
    // The mailbox's UIDVALIDITY changed (the server rebuilt its index): everything is fetched again, nothing is doubled.
    await q(`update mailbox_cursors set uid_validity = uid_validity + 1`);
    const again = await readAll();
    expect(again.stored).toBe(0);
    expect(again.duplicate).toBeGreaterThanOrEqual(5);
    expect(await conversationsOf('crash@example.com')).toHaveLength(5);
  });

  it('marketplace mail is filed on its channel under its ticket reference, for the customer it names', async () => {
    const kogan = (body: string) =>
      mail(
        {
          From: 'Kogan Marketplace <noreply@marketplace.kogan.test>',
          Subject: 'New customer message on ticket KT-5512',
          'Auto-Submitted': 'auto-generated',
        },
        body,
      );
    await dovecot.deliver(kogan('Customer email: olivia.k@example.com\n\nMy kettle leaks.'));
    await dovecot.deliver(kogan('Customer email: olivia.k@example.com\n\nAny update?'));
    expect(await readAll()).toMatchObject({ stored: 2, ignored: 0 });
    const convs = await conversationsOf('olivia.k@example.com');
    expect(convs).toEqual([expect.objectContaining({ channel: 'kogan', external_ref: 'KT-5512' })]);
    expect((await thread(convs[0]!.id)).map((m) => m.body)).toHaveLength(2);
    expect(await conversationsOf('noreply@marketplace.kogan.test')).toEqual([]);
  });
});

describe('the mail reader', () => {
  it('waits with IDLE where the server offers it: new mail is stored long before the next poll', async () => {
    const session = await mailbox.open();
    expect(session.idle).toBe(true);
    await session.close();
    const reader = startMailReader(ctx, mailbox, { pollMs: 60_000, marketplaceRules: RULES });
    try {
      await reader.nextPass();
      const from = 'live-idle@example.com';
      const pass = reader.nextPass();
      await dovecot.deliver(mail({ From: from, Subject: 'Live' }, 'Hello there'));
      await pass;
      for (let i = 0; i < 50 && (await conversationsOf(from)).length === 0; i++) await reader.nextPass();
      expect(await conversationsOf(from)).toHaveLength(1);
    } finally {
      await reader.stop();
    }
  }, 30_000);

  it('polls where the server offers no IDLE, and where IDLE is turned off', async () => {
    const plain = await startDovecot({ idle: false });
    try {
      const session = await imapMailbox(parseImapUrl(plain.url)).open();
      expect(session.idle).toBe(false);
      await session.close();
      const reader = startMailReader(ctx, imapMailbox(parseImapUrl(plain.url)), { pollMs: 200 });
      try {
        await reader.nextPass();
        const from = 'live-poll@example.com';
        await plain.deliver(mail({ From: from, Subject: 'Live' }, 'Hello there'));
        for (let i = 0; i < 50 && (await conversationsOf(from)).length === 0; i++) await reader.nextPass();
        expect(await conversationsOf(from)).toHaveLength(1);
      } finally {
        await reader.stop();
      }
    } finally {
      await plain.stop();
    }
    const off = await imapMailbox({ ...parseImapUrl(dovecot.url), idle: false }).open();
    expect(off.idle).toBe(false);
    await off.close();
  }, 60_000);

  it('a session that loses its connection is opened again', async () => {
    let opened = 0;
    const flaky: MailboxPort = {
      async open(): Promise<MailboxSession> {
        const s = await mailbox.open();
        if (++opened === 1) {
          await s.close();
          return { ...s, uidsAfter: () => Promise.reject(new Error('connection reset')), close: async () => {} };
        }
        return s;
      },
    };
    const reader = startMailReader(ctx, flaky, { pollMs: 100, log: () => {} });
    try {
      await reader.nextPass();
      expect(opened).toBe(2);
    } finally {
      await reader.stop();
    }
  });
});

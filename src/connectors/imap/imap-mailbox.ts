/**
 * The mailbox port over IMAP with imapflow: one connection per session, the mailbox selected read-write. New mail is
 * waited for with IDLE when the server offers it (RFC 2177), else by polling. imapflow and mailparser load with the
 * first session, not with this module (which the configuration reads for `parseImapUrl`): a start does not wait for them.
 */
import type { MailboxPort, MailboxSession } from '../../app/email/mailbox.js';
import { MAX_EMAIL_BYTES } from '../../kernel/limits.js';

export interface ImapSettings {
  host: string;
  port: number;
  /** TLS from the start (imaps, port 993); otherwise STARTTLS when the server offers it. */
  tls: boolean;
  user: string;
  password: string;
  mailbox: string;
  /** false: poll even when the server offers IDLE. */
  idle?: boolean | undefined;
}

/** `imap://user:pass@host:143/INBOX` or `imaps://…` (user and password URL-encoded; the path is the mailbox). */
export function parseImapUrl(url: string): ImapSettings {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new Error('must start with imap:// or imaps://');
  if (!u.hostname || !u.username) throw new Error('must name a host and a user: imap://user:password@host/INBOX');
  const tls = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : tls ? 993 : 143,
    tls,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export function imapMailbox(settings: ImapSettings): MailboxPort {
  return {
    async open(): Promise<MailboxSession> {
      const [{ ImapFlow }, { parseEmail }] = await Promise.all([import('imapflow'), import('./parse-email.js')]);
      const client = new ImapFlow({
        host: settings.host,
        port: settings.port,
        secure: settings.tls,
        auth: { user: settings.user, pass: settings.password },
        logger: false,
        disableAutoIdle: true,
        connectionTimeout: 15_000,
      });
      client.on('error', () => {}); // a dropped connection rejects the command in flight; the reader reconnects
      await client.connect();
      const box = await client.mailboxOpen(settings.mailbox);
      const canIdle = settings.idle !== false && client.capabilities.has('IDLE');
      // The message count when the reader last asked for new UIDs: mail that arrived while it was storing (its EXISTS
      // came in answer to another command) is read at once, not after the next wait.
      let countAtSearch = -1;
      const count = () => (client.mailbox ? client.mailbox.exists : -1);
      return {
        key: `${settings.user}@${settings.host}:${settings.port}/${settings.mailbox}`,
        idle: canIdle,
        uidValidity: Number(box.uidValidity),
        async uidsAfter(uid) {
          countAtSearch = count();
          const found = await client.search({ uid: `${uid + 1}:*`, smaller: MAX_EMAIL_BYTES }, { uid: true });
          // `n:*` always takes the newest message, even when its UID is below n.
          return (found || []).filter((u) => u > uid).sort((a, b) => a - b);
        },
        async fetch(uids) {
          if (uids.length === 0) return [];
          const raw: { uid: number; source: Buffer }[] = [];
          // No other IMAP command may run while a FETCH streams: collect the sources first, then parse.
          for await (const m of client.fetch(uids.join(','), { uid: true, source: true }, { uid: true }))
            if (m.source) raw.push({ uid: m.uid, source: m.source });
          const out = [];
          for (const r of raw.sort((a, b) => a.uid - b.uid)) out.push({ uid: r.uid, mail: await parseEmail(r.source) });
          return out;
        },
        async markSeen(uids) {
          if (uids.length > 0) await client.messageFlagsAdd(uids.join(','), ['\\Seen'], { uid: true });
        },
        waitForMail(ms, signal) {
          if (count() !== countAtSearch) return Promise.resolve();
          return new Promise<void>((resolve, reject) => {
            const done = (e?: Error) => {
              clearTimeout(timer);
              client.off('exists', onExists);
              client.off('close', onClose);
              signal.removeEventListener('abort', onAbort);
              if (e) reject(e);
              else resolve();
            };
            const onExists = () => done();
            const onClose = () => done(new Error('the IMAP connection closed'));
            const onAbort = () => done();
            const timer = setTimeout(() => done(), ms);
            client.on('exists', onExists);
            client.on('close', onClose);
            signal.addEventListener('abort', onAbort, { once: true });
            // The next command (the search) ends the IDLE.
            if (canIdle) void client.idle().catch(() => {});
            else void client.noop().catch(() => {});
          });
        },
        async close() {
          await client.logout().catch(() => client.close());
        },
      };
    },
  };
}

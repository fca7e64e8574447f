/**
 * A throwaway Dovecot IMAP server (Debian's dovecot-imapd) for tests and the bench: config in a temp dir, IMAP on a
 * free loopback port, one user `support@shop.test` / `secret`. Installs the package when it is missing (as root,
 * like .ci/run does). Messages arrive by IMAP APPEND, as a mail server would deliver them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

const CONFIG = `
base_dir = @DIR@/run
log_path = @DIR@/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:@DIR@/mail/%u
default_internal_user = root
default_internal_group = root
first_valid_uid = 8
first_valid_gid = 8
service imap-login {
  inet_listener imap {
    port = @PORT@
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u @DIR@/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=@DIR@/mail/%u
}
`;

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  /** `imap://support%40shop.test:secret@127.0.0.1:PORT/INBOX` */
  url: string;
  /** Delivers messages into INBOX (unseen), in order; answers their UIDs. */
  deliver(...raw: string[]): Promise<number[]>;
  /** UIDs of INBOX's messages flagged \Seen. */
  seen(): Promise<number[]>;
  stop(): Promise<void>;
}

function ensureInstalled(): void {
  if (spawnSync('sh', ['-c', 'command -v dovecot'], { stdio: 'ignore' }).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('dovecot is not installed: apt-get install -y dovecot-imapd (as root)');
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd'],
    {
      stdio: 'inherit',
    },
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1', () => {
        c.end();
        r(true);
      });
      c.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Dovecot 2.3's capabilities after login, but IDLE: a server that makes its clients poll. */
const WITHOUT_IDLE =
  'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS ' +
  'THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED ' +
  'I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE LITERAL+ ' +
  'SPECIAL-USE\n';

/** `idle: false`: the server does not offer IDLE. */
export async function startDovecot(opts: { idle?: boolean } = {}): Promise<Dovecot> {
  ensureInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'sopdesk-dovecot-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'run'));
  mkdirSync(join(dir, 'mail'));
  execFileSync('chown', ['mail:mail', join(dir, 'mail')]);
  const user = 'support@shop.test';
  const password = 'secret';
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  const port = await freePort();
  const conf = join(dir, 'dovecot.conf');
  const config = CONFIG.replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port));
  writeFileSync(conf, opts.idle === false ? config + WITHOUT_IDLE : config);
  execFileSync('dovecot', ['-c', conf], { stdio: 'ignore' });
  try {
    await waitForPort(port, 10_000);
  } catch (e) {
    const log = join(dir, 'dovecot.log');
    throw new Error(`${(e as Error).message}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  }
  let client: ImapFlow | undefined;
  const session = async () => {
    if (client?.usable) return client;
    client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  return {
    port,
    user,
    password,
    url: `imap://${encodeURIComponent(user)}:${password}@127.0.0.1:${port}/INBOX`,
    async deliver(...raw) {
      const c = await session();
      const uids: number[] = [];
      for (const r of raw) {
        const res = await c.append('INBOX', r.replace(/\r?\n/g, '\r\n'), []);
        if (res && res.uid !== undefined) uids.push(res.uid);
      }
      return uids;
    },
    async seen() {
      const c = await session();
      await c.mailboxOpen('INBOX', { readOnly: true });
      const found = await c.search({ seen: true }, { uid: true });
      await c.mailboxClose();
      return (found || []).sort((a, b) => a - b);
    },
    async stop() {
      await client?.logout().catch(() => {});
      spawnSync('doveadm', ['-c', conf, 'stop'], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The mail reader: reads the support mailbox from where it stopped (the cursor: UIDVALIDITY + last UID, in the
 * database), stores each message (receive-email.ts, which moves the cursor in the same transaction) and only then
 * marks it \Seen. A crash before the store leaves the message to be read again; one after it leaves the cursor past
 * it, and a second fetch anyway (a new UIDVALIDITY) is caught by its Message-ID. Started by `sopdesk start` when a
 * mailbox is configured; waits with IDLE where the server offers it, polls otherwise.
 */
import { findMailboxCursor } from '../../db/repo/email.js';
import type { MarketplaceRule } from '../../domain/email.js';
import type { AppContext } from '../context.js';
import type { MailboxPort, MailboxSession } from './mailbox.js';
import { receiveEmail, type EmailOutcome, type ReceiveEmailOptions } from './receive-email.js';

export interface ReadResult {
  stored: number;
  duplicate: number;
  ignored: number;
}

export interface ReadOptions {
  marketplaceRules?: readonly MarketplaceRule[] | undefined;
  /** Messages fetched per IMAP command. */
  batchSize?: number | undefined;
  /** Stores one message; tests put a failing one in to stand for a crash. */
  receive?: typeof receiveEmail;
}

/** Reads every message after the cursor. */
export async function readMailboxOnce(
  ctx: AppContext,
  session: MailboxSession,
  opts: ReadOptions = {},
): Promise<ReadResult> {
  const receive = opts.receive ?? receiveEmail;
  const result: ReadResult = { stored: 0, duplicate: 0, ignored: 0 };
  const cursor = await findMailboxCursor(ctx.database.db, session.key);
  const from = cursor && cursor.uidValidity === session.uidValidity ? cursor.lastUid : 0;
  const uids = await session.uidsAfter(from);
  const batch = opts.batchSize ?? 50;
  for (let i = 0; i < uids.length; i += batch) {
    const fetched = await session.fetch(uids.slice(i, i + batch));
    for (const { uid, mail } of fetched) {
      const receiveOpts: ReceiveEmailOptions = {
        marketplaceRules: opts.marketplaceRules,
        cursor: { mailbox: session.key, uidValidity: session.uidValidity, lastUid: uid },
      };
      const outcome: EmailOutcome = await receive(ctx, mail, receiveOpts);
      result[outcome.kind]++;
      // Marked seen only now that it is stored (and the cursor past it). Automated mail stays unread in the mailbox,
      // for a person to look at if they wish.
      if (outcome.kind !== 'ignored') await session.markSeen([uid]);
    }
  }
  return result;
}

export interface MailReaderOptions extends ReadOptions {
  /** How long to wait between reads when the server offers no IDLE, and at most while idling (ms). */
  pollMs: number;
  log?: (line: string, error?: unknown) => void;
}

/** Reads the mailbox until stopped; a lost connection is opened again after a pause. */
export function startMailReader(
  ctx: AppContext,
  port: MailboxPort,
  opts: MailReaderOptions,
): { stop(): Promise<void>; nextPass(): Promise<void> } {
  const abort = new AbortController();
  const log = opts.log ?? ((line, e) => console.error(line, e ?? ''));
  const waiters: (() => void)[] = [];
  const loop = (async () => {
    while (!abort.signal.aborted) {
      let session: MailboxSession | undefined;
      try {
        session = await port.open();
        while (!abort.signal.aborted) {
          await readMailboxOnce(ctx, session, opts);
          for (const w of waiters.splice(0)) w();
          await session.waitForMail(opts.pollMs, abort.signal);
        }
      } catch (e) {
        if (!abort.signal.aborted) log('sopdesk: reading the mailbox failed; trying again', e);
        await sleep(Math.min(opts.pollMs, 5_000), abort.signal);
      } finally {
        await session?.close().catch(() => {});
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
    /** Resolves when the next read of the mailbox to its end is done (tests and the bench wait on it). */
    nextPass: () => new Promise<void>((r) => waiters.push(r)),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

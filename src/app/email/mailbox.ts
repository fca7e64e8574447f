/**
 * The port the mail reader reads a mailbox through; src/connectors/imap/ implements it over IMAP (imapflow), and
 * hands each message over parsed and reduced to text (mailparser), so nothing here knows a mail library.
 */
import type { InboundEmail } from '../../domain/email.js';

export interface FetchedMail {
  uid: number;
  mail: InboundEmail;
}

export interface MailboxSession {
  /** Names the mailbox for the cursor: `user@host:port/INBOX`. */
  readonly key: string;
  /** Whether `waitForMail` waits with IDLE (the server offers it, and it is not turned off) rather than polls. */
  readonly idle: boolean;
  /** The mailbox's UIDVALIDITY: UIDs mean the same messages only while it stays the same. */
  readonly uidValidity: number;
  /** UIDs of the messages after `uid`, ascending (messages over MAX_EMAIL_BYTES are left out). */
  uidsAfter(uid: number): Promise<number[]>;
  fetch(uids: readonly number[]): Promise<FetchedMail[]>;
  markSeen(uids: readonly number[]): Promise<void>;
  /** Resolves when new mail may have arrived (IDLE, where the server offers it), after `ms`, or when `signal` aborts. */
  waitForMail(ms: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface MailboxPort {
  open(): Promise<MailboxSession>;
}

/**
 * An email arrived. A person's mail is stored as an inbound message: matched to the customer by the sender's address
 * (any of their emails; an unknown sender becomes a new customer), threaded by In-Reply-To / References, or by the
 * reply marker in the subject, into its conversation (else a new conversation on channel `email`). Mail a
 * marketplace sent is filed on its channel under its ticket reference. Automated mail is left alone.
 */
import { createHash } from 'node:crypto';
import {
  advanceMailboxCursor,
  findConversationCustomer,
  findCustomerIdByEmail,
  findEmailByMessageId,
  findStoredEmail,
  findThreadConversations,
  insertCustomerWithEmail,
  insertEmailMessage,
} from '../../db/repo/email.js';
import {
  automatedReason,
  baseSubject,
  foldQuoted,
  markedConversation,
  matchMarketplace,
  sentMessageId,
  threadIds,
  type AutomatedReason,
  type InboundEmail,
  type MarketplaceRule,
} from '../../domain/email.js';
import type { Actor } from '../../domain/timeline.js';
import { DomainError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { MAX_EMAIL_TEXT_CHARS, TEXT_LIMITS } from '../../kernel/limits.js';
import { truncateText } from '../../kernel/text.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../context.js';
import { receiveMessageIn } from '../inbox/receive-message.js';
import { write } from '../write.js';

export type EmailOutcome =
  | { kind: 'stored'; conversationId: string; messageId: string }
  /** Stored before (the same Message-ID from the same customer): a second fetch after a crash. */
  | { kind: 'duplicate'; conversationId: string; messageId: string }
  | { kind: 'ignored'; reason: AutomatedReason | 'reused_message_id' };

export interface ReceiveEmailOptions {
  marketplaceRules?: readonly MarketplaceRule[] | undefined;
  /** The mailbox position this mail was read at: moved past it in the same transaction as the message is stored. */
  cursor?: { mailbox: string; uidValidity: number; lastUid: number } | undefined;
}

const EMAIL_ACTOR: Actor = { kind: 'system', id: 'email' };

export async function receiveEmail(
  ctx: AppContext,
  mail: InboundEmail,
  opts: ReceiveEmailOptions = {},
): Promise<EmailOutcome> {
  const market = matchMarketplace(opts.marketplaceRules ?? [], mail);
  const reason = market ? null : automatedReason(mail);
  const moveCursor = (tx: Tx, at: string) =>
    opts.cursor ? advanceMailboxCursor(tx, opts.cursor.mailbox, opts.cursor, at) : Promise.resolve();
  if (reason) {
    await ctx.database.transaction((tx) => moveCursor(tx, ctx.clock.now().toISOString()));
    return { kind: 'ignored', reason };
  }
  // Fetched again (a crash after the store, a new UIDVALIDITY): stored once, never twice.
  const before = await findEmailByMessageId(ctx.database.db, mail.messageId);
  if (before) {
    await ctx.database.transaction((tx) => moveCursor(tx, ctx.clock.now().toISOString()));
    return { kind: 'duplicate', ...before };
  }
  const sender = (market ? (market.customerEmail ?? mail.replyTo?.address) : undefined) ?? mail.from.address;
  const input = { messageId: mail.messageId, from: sender.toLowerCase(), subject: mail.subject };
  const key = `email:${createHash('sha256').update(mail.messageId).digest('base64url')}`;
  let ran = false;
  try {
    const outcome = await write(
      ctx,
      'receive_email',
      input,
      { actor: EMAIL_ACTOR, idempotencyKey: key },
      async (scope) => {
        ran = true;
        const { tx } = scope;
        const at = scope.now.toISOString();
        const customerId = await customerFor(scope, sender, mail);
        const stored = await findStoredEmail(tx, mail.messageId, customerId);
        if (stored) {
          await moveCursor(tx, at);
          return { kind: 'duplicate' as const, ...stored };
        }
        const conversationId = market ? undefined : await threadOf(tx, mail, customerId);
        const subject = truncateText(baseSubject(mail.subject) || '(no subject)', 300);
        const { conversationId: cid, messageId } = await receiveMessageIn(scope, {
          customerId,
          channel: market?.channel ?? 'email',
          subject,
          body: threadText(mail),
          ...(market ? { externalRef: truncateText(market.ticketRef, 120) } : {}),
          ...(conversationId ? { conversationId } : {}),
        });
        await insertEmailMessage(
          tx,
          {
            messageId,
            conversationId: cid,
            emailMessageId: mail.messageId,
            inReplyTo: mail.inReplyTo,
            references: mail.references,
            fromAddress: mail.from.address,
            fullText: truncateText(mail.text, MAX_EMAIL_TEXT_CHARS),
            at,
          },
          mail.attachments,
        );
        await moveCursor(tx, at);
        return { kind: 'stored' as const, conversationId: cid, messageId };
      },
    );
    // Another reader stored it first (the key's stored answer came back): this one stored nothing.
    if (!ran && outcome.kind === 'stored') {
      await ctx.database.transaction((tx) => moveCursor(tx, ctx.clock.now().toISOString()));
      return { ...outcome, kind: 'duplicate' };
    }
    return outcome;
  } catch (e) {
    // The same Message-ID with other content: a sender reusing ids. The first one stays; this one is not stored twice.
    if (e instanceof DomainError && e.code === 'conflict') {
      await ctx.database.transaction((tx) => moveCursor(tx, ctx.clock.now().toISOString()));
      return { kind: 'ignored', reason: 'reused_message_id' };
    }
    throw e;
  }
}

async function customerFor(
  scope: Parameters<Parameters<typeof write>[4]>[0],
  email: string,
  mail: InboundEmail,
): Promise<string> {
  const known = await findCustomerIdByEmail(scope.tx, email);
  if (known) return known;
  const name = (mail.replyTo?.address === email ? mail.replyTo.name : null) ?? mail.from.name ?? email.split('@')[0]!;
  const made = await insertCustomerWithEmail(scope.tx, {
    id: newId('customer', scope.now.getTime()),
    name: truncateText(name.trim() || email, TEXT_LIMITS.name),
    email,
    at: scope.now.toISOString(),
  });
  if (made.created)
    await scope.record({ type: 'customer.created', customerId: made.id, data: { name, emails: [email] } });
  return made.id;
}

/** The conversation of the nearest message the mail answers (this customer's), else the one its subject marks. */
async function threadOf(tx: Tx, mail: InboundEmail, customerId: string): Promise<string | undefined> {
  const ids = threadIds(mail);
  const ours = ids.map(sentMessageId).filter((x): x is string => x !== undefined);
  const hits = await findThreadConversations(tx, ours, ids);
  for (const id of ids) {
    const ref = sentMessageId(id) ?? id;
    const hit = hits.find((h) => h.ref === ref && h.customerId === customerId);
    if (hit) return hit.conversationId;
  }
  const marked = markedConversation(mail.subject);
  if (marked && (await findConversationCustomer(tx, marked)) === customerId) return marked;
  return undefined;
}

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${Math.ceil(bytes / 1024)} KB`);

/** What the thread shows: the reply without its quoted history and signature, then the attachments it carried. */
function threadText(mail: InboundEmail): string {
  const text = foldQuoted(mail.text);
  const files = mail.attachments.map(
    (a) => `- ${a.filename} (${a.contentType}, ${kb(a.size)})${a.content ? '' : ' — too large, left in the mailbox'}`,
  );
  const body = [
    text || (files.length ? '' : '(empty message)'),
    files.length ? `Attachments:\n${files.join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return truncateText(body, TEXT_LIMITS.message);
}

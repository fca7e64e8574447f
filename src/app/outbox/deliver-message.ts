/**
 * Sending an outbound message, in three short steps so no database transaction stays open while a mail server
 * answers: `claimDelivery` (inside the outbox claim) decides and, for an email, marks the message `sending` with a
 * lease; the mail is sent outside any transaction; `markSent` / `releaseDelivery` record the outcome. A dispatcher
 * that dies mid-send leaves the lease to expire and the outbox row pending, so another pass retries (at least once).
 */
import { findCustomerById } from '../../db/repo/customers.js';
import { findLatestInboundEmail } from '../../db/repo/email.js';
import { findConversationRow, keepMessage, lockMessage, setMessageDelivery } from '../../db/repo/inbox.js';
import { subjectMarker } from '../../domain/email.js';
import { repliesByEmail } from '../../domain/conversation-status.js';
import { truncateText } from '../../kernel/text.js';
import type { Tx } from '../../db/database.js';
import type { Mailer, OutgoingMail } from './mailer.js';

export const SEND_LEASE_MS = 120_000;

export type DeliveryClaim =
  /** Nothing (more) to send: the row is done. */
  | { kind: 'done' }
  /** Another dispatcher holds the lease; leave the row for later. */
  | { kind: 'busy' }
  | { kind: 'send'; mail: OutgoingMail };

export async function claimDelivery(
  tx: Tx,
  messageId: string,
  mailer: Mailer | undefined,
  now: Date,
): Promise<DeliveryClaim> {
  // No mail transport: every outbound message is kept in its thread — decided and done in one statement.
  if (!mailer) return { kind: await keepMessage(tx, messageId, now) };
  const m = await lockMessage(tx, messageId);
  if (!m || m.kind !== 'outbound') return { kind: 'done' };
  if (m.delivery === 'sending' && m.sendingUntil && Date.parse(m.sendingUntil) > now.getTime()) return { kind: 'busy' };
  if (m.delivery !== 'queued' && m.delivery !== 'sending') return { kind: 'done' };
  const c = await findConversationRow(tx, m.conversationId);
  // Only a thread answered by email is mailed: then the customer's address is needed.
  const to = c && repliesByEmail(c.channel) ? (await findCustomerById(tx, c.customerId))?.emails[0]?.email : undefined;
  if (!c || !to) {
    // A marketplace thread (the Kogan procedure: answered in the marketplace), or no address: keep it in our thread.
    await setMessageDelivery(tx, m.id, { delivery: 'kept', sendingUntil: null });
    return { kind: 'done' };
  }
  await setMessageDelivery(tx, m.id, {
    delivery: 'sending',
    sendingUntil: new Date(now.getTime() + SEND_LEASE_MS).toISOString(),
  });
  // A confirmation carries its template's subject; a reply answers the conversation's thread. The marker lets a reply
  // from a mail client that drops In-Reply-To and References find its conversation.
  const base = m.subject ?? (c.subject.startsWith('Re:') ? c.subject : `Re: ${c.subject}`);
  const subject = base.includes(subjectMarker(c.id)) ? base : `${base} ${subjectMarker(c.id)}`;
  const answered = await findLatestInboundEmail(tx, c.id);
  return {
    kind: 'send',
    mail: {
      to,
      subject,
      text: m.body,
      messageId: `<${m.id}@${mailer.domain ?? 'sopdesk'}>`,
      ...(answered
        ? { inReplyTo: answered.emailMessageId, references: [...answered.references, answered.emailMessageId] }
        : {}),
    },
  };
}

export async function markSent(tx: Tx, messageId: string, now: Date): Promise<void> {
  await setMessageDelivery(tx, messageId, {
    delivery: 'sent',
    sentAt: now.toISOString(),
    sendingUntil: null,
    deliveryError: null,
  });
}

/** After a failed send: back to `queued` for the next attempt, or `failed` after the last one. */
export async function releaseDelivery(tx: Tx, messageId: string, error: string, final: boolean): Promise<void> {
  await setMessageDelivery(tx, messageId, {
    delivery: final ? 'failed' : 'queued',
    sendingUntil: null,
    deliveryError: truncateText(error, 500),
  });
}

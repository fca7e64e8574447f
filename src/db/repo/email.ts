/** SQL of the email channel: the mail reader's cursor, customers by sender, threading by Message-ID, attachments. */
import { and, eq, sql } from 'drizzle-orm';
import { rows, type Executor, type Tx } from '../database.js';
import {
  customerEmails,
  customers,
  emailAttachments,
  emailMessages,
  mailboxCursors,
  messages,
} from '../schema/index.js';

export interface MailboxCursor {
  uidValidity: number;
  lastUid: number;
}

export async function findMailboxCursor(ex: Executor, mailbox: string): Promise<MailboxCursor | undefined> {
  const [r] = await ex
    .select({ uidValidity: mailboxCursors.uidValidity, lastUid: mailboxCursors.lastUid })
    .from(mailboxCursors)
    .where(eq(mailboxCursors.mailbox, mailbox));
  return r;
}

/** Moves the cursor forward (never back within one UIDVALIDITY; a new UIDVALIDITY starts it again). */
export async function advanceMailboxCursor(
  ex: Executor,
  mailbox: string,
  cursor: MailboxCursor,
  at: string,
): Promise<void> {
  await ex
    .insert(mailboxCursors)
    .values({ mailbox, uidValidity: cursor.uidValidity, lastUid: cursor.lastUid, updatedAt: at })
    .onConflictDoUpdate({
      target: mailboxCursors.mailbox,
      set: {
        uidValidity: cursor.uidValidity,
        lastUid: sql`case when ${mailboxCursors.uidValidity} = excluded.uid_validity
          then greatest(${mailboxCursors.lastUid}, excluded.last_uid) else excluded.last_uid end`,
        updatedAt: at,
      },
    });
}

/** The customer one of whose emails this is (any of them, without case). */
export async function findCustomerIdByEmail(ex: Executor, email: string): Promise<string | undefined> {
  const r = await rows<{ customer_id: string }>(
    ex,
    sql`select customer_id from customer_emails where lower(email) = lower(${email}) limit 1`,
  );
  return r[0]?.customer_id;
}

/**
 * A new customer with this one email. Two mails from the same new address stored at once both try: the unique index
 * on the address lets one in, and the other drops its row and answers the winner's (false: not created here).
 */
export async function insertCustomerWithEmail(
  tx: Tx,
  c: { id: string; name: string; email: string; at: string },
): Promise<{ id: string; created: boolean }> {
  await tx.insert(customers).values({ id: c.id, name: c.name, createdAt: c.at, updatedAt: c.at });
  const [won] = await tx
    .insert(customerEmails)
    .values({ customerId: c.id, email: c.email, isPrimary: true })
    .onConflictDoNothing()
    .returning({ id: customerEmails.customerId });
  if (won) return { id: c.id, created: true };
  await tx.delete(customers).where(eq(customers.id, c.id));
  return { id: (await findCustomerIdByEmail(tx, c.email))!, created: false };
}

/**
 * The conversation and customer of the nearest message a reply points at: one of ours (`msg_…` ids, from our
 * Message-IDs) or an inbound email by its Message-ID.
 */
export async function findThreadConversations(
  ex: Executor,
  ours: readonly string[],
  emailIds: readonly string[],
): Promise<{ conversationId: string; customerId: string; ref: string }[]> {
  if (ours.length === 0 && emailIds.length === 0) return [];
  return rows(
    ex,
    sql`select m.conversation_id as "conversationId", c.customer_id as "customerId", m.id as ref
          from messages m join conversations c on c.id = m.conversation_id
         where m.id in (select jsonb_array_elements_text(${JSON.stringify(ours)}::jsonb))
        union all
        select e.conversation_id, c.customer_id, e.email_message_id
          from email_messages e join conversations c on c.id = e.conversation_id
         where e.email_message_id in (select jsonb_array_elements_text(${JSON.stringify(emailIds)}::jsonb))`,
  );
}

export async function findConversationCustomer(ex: Executor, id: string): Promise<string | undefined> {
  const r = await rows<{ customer_id: string }>(ex, sql`select customer_id from conversations where id = ${id}`);
  return r[0]?.customer_id;
}

/** An email already stored for this customer under this Message-ID (a second fetch of the same mail). */
export async function findStoredEmail(
  ex: Executor,
  emailMessageId: string,
  customerId: string,
): Promise<{ conversationId: string; messageId: string } | undefined> {
  const r = await rows<{ conversationId: string; messageId: string }>(
    ex,
    sql`select e.conversation_id as "conversationId", e.message_id as "messageId"
          from email_messages e join conversations c on c.id = e.conversation_id
         where e.email_message_id = ${emailMessageId} and c.customer_id = ${customerId} limit 1`,
  );
  return r[0];
}

/** The message stored for this Message-ID, if any. */
export async function findEmailByMessageId(
  ex: Executor,
  emailMessageId: string,
): Promise<{ conversationId: string; messageId: string } | undefined> {
  const [r] = await ex
    .select({ conversationId: emailMessages.conversationId, messageId: emailMessages.messageId })
    .from(emailMessages)
    .where(eq(emailMessages.emailMessageId, emailMessageId))
    .limit(1);
  return r;
}

export async function insertEmailMessage(
  tx: Tx,
  e: {
    messageId: string;
    conversationId: string;
    emailMessageId: string;
    inReplyTo: string | null;
    references: string[];
    fromAddress: string;
    fullText: string;
    at: string;
  },
  attachments: readonly { filename: string; contentType: string; size: number; content: Uint8Array | null }[],
): Promise<void> {
  await tx.insert(emailMessages).values({
    messageId: e.messageId,
    conversationId: e.conversationId,
    emailMessageId: e.emailMessageId,
    inReplyTo: e.inReplyTo,
    references: e.references,
    fromAddress: e.fromAddress,
    fullText: e.fullText,
    createdAt: e.at,
  });
  if (attachments.length > 0)
    await tx
      .insert(emailAttachments)
      .values(attachments.map((a, position) => ({ messageId: e.messageId, position, ...a })));
}

/** What an outbound reply answers: the conversation's newest inbound email, with the ids it referred to. */
export async function findLatestInboundEmail(
  ex: Executor,
  conversationId: string,
): Promise<{ emailMessageId: string; references: string[] } | undefined> {
  const [r] = await ex
    .select({ emailMessageId: emailMessages.emailMessageId, references: emailMessages.references })
    .from(emailMessages)
    .innerJoin(messages, eq(messages.id, emailMessages.messageId))
    .where(eq(emailMessages.conversationId, conversationId))
    .orderBy(sql`${messages.seq} desc`)
    .limit(1);
  return r;
}

/** One attachment of a message of this conversation, with its content (null when it was left in the mailbox). */
export async function findEmailAttachment(
  ex: Executor,
  key: { conversationId: string; messageId: string; position: number },
): Promise<{ filename: string; contentType: string; size: number; content: Uint8Array | null } | undefined> {
  const [r] = await ex
    .select({
      filename: emailAttachments.filename,
      contentType: emailAttachments.contentType,
      size: emailAttachments.size,
      content: emailAttachments.content,
    })
    .from(emailAttachments)
    .innerJoin(messages, eq(messages.id, emailAttachments.messageId))
    .where(
      and(
        eq(emailAttachments.messageId, key.messageId),
        eq(emailAttachments.position, key.position),
        eq(messages.conversationId, key.conversationId),
      ),
    );
  return r;
}

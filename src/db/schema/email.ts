import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { conversations, messages } from './inbox.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/**
 * Where the mail reader is in a mailbox: UIDs below `last_uid` were read. IMAP numbers a mailbox's messages by UID only
 * within one UIDVALIDITY; when the server changes it, the mailbox is read again from the start (duplicates are caught by
 * the Message-ID, see email_messages).
 */
export const mailboxCursors = pgTable('mailbox_cursors', {
  /** `user@host:port/INBOX`. */
  mailbox: text('mailbox').primaryKey(),
  uidValidity: bigint('uid_validity', { mode: 'number' }).notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** The email an inbound message came as: its headers for threading, and the full text before quotes were folded. */
export const emailMessages = pgTable(
  'email_messages',
  {
    messageId: text('message_id')
      .primaryKey()
      .references(() => messages.id, { onDelete: 'cascade' }),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The `Message-ID` header, with its angle brackets. */
    emailMessageId: text('email_message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: jsonb('references').$type<string[]>().notNull(),
    fromAddress: text('from_address').notNull(),
    /** The text as sent, with the quoted history and signature the thread's message leaves out. */
    fullText: text('full_text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    // A mail fetched twice (a crash between storing it and marking it seen) is stored once.
    uniqueIndex('email_messages_conversation_uq').on(t.conversationId, t.emailMessageId),
    index('email_messages_email_id_idx').on(t.emailMessageId),
  ],
);

/** An inbound email's attachments; `content` is null when the file was over the size limit (src/kernel/limits.ts). */
export const emailAttachments = pgTable(
  'email_attachments',
  {
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content'),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.position] })],
);

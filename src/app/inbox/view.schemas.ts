/** The answers of the Agent Inbox routes: conversations, messages, handoffs, macros, templates. */
import { z } from 'zod';
import type { HandoffRecord, MessageRecord } from '../../db/repo/inbox.js';
import { CONVERSATION_STATUSES, HANDOFF_STATUSES, type ConversationStatus } from '../../domain/conversation-status.js';
import type { ConversationCounts } from './count-conversations.js';
import { TEMPLATE_KEYS } from '../../domain/templates.js';
import type { Describes } from '../describes.js';
import { isoTimeOut } from '../outputs.js';
import type { ConversationDetail, ConversationView } from './conversation-view.js';
import type { Page } from './list-conversations.js';
import type { MacroView } from './list-macros.js';
import type { TemplateView } from './list-templates.js';

const CustomerRef = z
  .object({
    id: z.string().describe('Customer id (cus_…)'),
    name: z.string().describe('Full name'),
    email: z.string().nullable().describe('Primary email'),
  })
  .describe('The customer');

export const ConversationOut = z
  .object({
    id: z.string().describe('Conversation id (cnv_…)'),
    customerId: z.string().describe('Customer id (cus_…)'),
    customer: CustomerRef,
    channel: z.string().describe('email, chat, phone, web, kogan or marketplace'),
    subject: z.string().describe('Subject'),
    status: z.enum(CONVERSATION_STATUSES).describe('Status'),
    statusLabel: z.string().describe('The status for people'),
    nextStatuses: z.array(z.enum(CONVERSATION_STATUSES)).describe('Where it may move from here (the transition table)'),
    priority: z.string().describe('Priority'),
    assignee: z
      .object({ kind: z.string().describe('human or ai_agent'), name: z.string().describe('Who') })
      .nullable()
      .describe('Who works on it; null = unassigned'),
    tags: z.array(z.string()).describe('Tags'),
    externalRef: z.string().nullable().describe('Ticket id in its channel'),
    customerVerified: z
      .boolean()
      .describe('The store vouched for who writes: a chat visitor identified with the widget secret (HMAC)'),
    orders: z
      .array(z.object({ id: z.string().describe('Order id (ord_…)'), name: z.string().describe('e.g. #1001') }))
      .describe('Linked orders'),
    openHandoff: z
      .object({ id: z.string().describe('Handoff id'), status: z.enum(HANDOFF_STATUSES).describe('queued or taken') })
      .nullable()
      .describe('A handoff not yet resolved'),
    lastMessage: z
      .object({
        kind: z.enum(['inbound', 'outbound', 'note']).describe('inbound, outbound or note'),
        excerpt: z.string().describe('Its first words'),
        createdAt: isoTimeOut('When'),
      })
      .nullable()
      .describe('The latest message'),
    lastActivityAt: isoTimeOut('Last activity'),
    createdAt: isoTimeOut('Opened'),
    updatedAt: isoTimeOut('Last change'),
  })
  .describe('A conversation (without its messages)');
true satisfies Describes<typeof ConversationOut, ConversationView>;

export const MessageOut = z
  .object({
    id: z.string().describe('Message id (msg_…)'),
    conversationId: z.string().describe('Conversation id'),
    kind: z.enum(['inbound', 'outbound', 'note']).describe('From the customer, to the customer, or an internal note'),
    authorKind: z.string().describe('customer, human, ai_agent or system'),
    authorName: z.string().nullable().describe('Who wrote it'),
    body: z.string().describe('Text'),
    subject: z.string().nullable().describe("An outbound confirmation's email subject; null = the conversation's"),
    delivery: z.string().nullable().describe('Delivery state of an outbound message'),
    deliveryError: z.string().nullable().describe('Why delivery failed'),
    sentAt: z.string().nullable().describe('When it was sent, ISO-8601'),
    sourceEventId: z.string().nullable().describe('The timeline event a confirmation was written for'),
    attachments: z
      .array(
        z.object({
          position: z
            .number()
            .int()
            .describe(
              'Its place in the message; GET /v1/conversations/{id}/messages/{messageId}/attachments/{position}',
            ),
          filename: z.string().describe('The name the customer gave it (made safe when it is downloaded)'),
          contentType: z.string().describe('Its media type as the mail declared it'),
          size: z.number().int().describe('Bytes'),
          stored: z.boolean().describe('False when it was over the size limit and left in the mailbox'),
        }),
      )
      .describe('The files an inbound email carried; empty for every other message'),
    createdAt: isoTimeOut('Written'),
  })
  .describe('A message');
true satisfies Describes<typeof MessageOut, MessageRecord>;

export const HandoffOut = z
  .object({
    id: z.string().describe('Handoff id (hnd_…)'),
    conversationId: z.string().describe('Conversation id'),
    customerId: z.string().describe('Customer id'),
    customer: CustomerRef,
    conversationSubject: z.string().describe("The conversation's subject"),
    status: z.enum(HANDOFF_STATUSES).describe('queued, taken or resolved'),
    summary: z.string().describe('What the human needs to know'),
    state: z
      .object({
        customerVerified: z.boolean().describe('The customer was verified'),
        orderId: z.string().nullable().describe('The order concerned'),
        done: z.array(z.string()).describe('What was done already'),
        refused: z
          .array(
            z.object({
              action: z.string().describe('Action'),
              reason: z.string().describe('Refusal reason'),
              why: z.string().describe('Message'),
            }),
          )
          .describe('What was refused'),
      })
      .describe('Where the conversation stands'),
    requestedByKind: z.string().describe('human, ai_agent or system'),
    requestedBy: z.string().nullable().describe('Who asked for it'),
    takenBy: z.string().nullable().describe('Who took it'),
    takenAt: z.string().nullable().describe('When it was taken, ISO-8601'),
    resolvedAt: z.string().nullable().describe('When it was resolved, ISO-8601'),
    createdAt: isoTimeOut('Queued'),
  })
  .describe('A handoff to the human queue');
true satisfies Describes<typeof HandoffOut, HandoffRecord>;

export const ConversationDetailOut = ConversationOut.extend({
  messages: z.array(MessageOut).describe('Every message, oldest first'),
  handoffs: z.array(HandoffOut).describe('Its handoffs'),
}).describe('A conversation with its messages');
true satisfies Describes<typeof ConversationDetailOut, ConversationDetail>;

export const ConversationPageOut = z.object({
  items: z.array(ConversationOut).describe('Conversations, latest activity first'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null at the end'),
});
true satisfies Describes<typeof ConversationPageOut, Page<ConversationView>>;

export const MacroOut = z
  .object({
    id: z.string().describe('Macro id'),
    name: z.string().describe('Name'),
    body: z.string().describe('Text with placeholders such as {{customer.firstName}}'),
    createdAt: isoTimeOut('Created'),
    updatedAt: isoTimeOut('Last change'),
  })
  .describe('A saved reply');
true satisfies Describes<typeof MacroOut, MacroView>;

export const PlaceholdersOut = z
  .record(z.string(), z.string())
  .describe('Every placeholder a macro or template may use, with what it stands for');

export const TemplateOut = z
  .object({
    key: z.enum(TEMPLATE_KEYS).describe('The event it confirms'),
    subject: z.string().describe('Email subject'),
    body: z.string().describe('Text with placeholders'),
    customized: z.boolean().describe('False while the built-in wording is used'),
    updatedAt: z.string().nullable().describe('Last change, ISO-8601; null while built in'),
  })
  .describe('A confirmation template');
true satisfies Describes<typeof TemplateOut, TemplateView>;

export const ConversationCountsOut = z.object({
  statuses: z
    .object(
      Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, z.number().int()])) as Record<
        ConversationStatus,
        z.ZodNumber
      >,
    )
    .describe('Conversations per status'),
  openWork: z.number().int().describe('Conversations not resolved or closed'),
  unassigned: z.number().int().describe('Open work nobody is assigned to'),
  assignees: z
    .array(
      z.object({
        kind: z.string().describe('human or ai_agent'),
        name: z.string().describe('Who'),
        count: z.number().int().describe('Their open work'),
      }),
    )
    .describe('Open work per assignee, most first'),
});
true satisfies Describes<typeof ConversationCountsOut, ConversationCounts>;

/** Input and answers of the chat widget's public API (src/http/routes/widget.ts, docs/chat-widget.md). */
import { z } from 'zod';
import { boundedEmail, boundedText } from '../args.js';
import { isoTimeOut } from '../outputs.js';
import type { Describes } from '../describes.js';
import type { VisitorMessage } from './visitor.js';

export const VisitorIdentity = z
  .object({
    email: boundedEmail().optional().describe("The logged-in customer's email (give this or customerId)"),
    customerId: boundedText('code')
      .min(1)
      .optional()
      .describe("The logged-in customer's id: sopdesk's (cus_…) or the store's own (the customer's Shopify id)"),
    hash: boundedText('code')
      .min(1)
      .describe('Hex HMAC-SHA256 of the customerId (or, without one, the email) under SOPDESK_WIDGET_SECRET'),
  })
  .refine((v) => (v.email === undefined) !== (v.customerId === undefined), {
    message: 'give either email or customerId',
    path: ['email'],
  })
  .describe("The store's word for who its logged-in customer is, signed with the secret it shares with sopdesk");
export type VisitorIdentity = z.infer<typeof VisitorIdentity>;

export const VisitorMessageInput = z
  .object({
    body: boundedText('message').trim().min(1).describe("The visitor's message"),
    email: boundedEmail()
      .optional()
      .describe("An anonymous visitor's email, on their first message (without a visitor token)"),
    identity: VisitorIdentity.optional().describe(
      'A logged-in customer, on their first message (without a visitor token)',
    ),
  })
  .describe('A message from a storefront visitor');
export type VisitorMessageInput = z.infer<typeof VisitorMessageInput>;

export const VisitorMessagesQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .describe('Only messages after this cursor (the `seq` of the last message the widget has)'),
});

export const VisitorMessageOut = z
  .object({
    id: z.string().describe('Message id (msg_…)'),
    seq: z.number().int().describe('Its place in the thread; poll with after=<the last one>'),
    from: z
      .enum(['visitor', 'support'])
      .describe('visitor: the visitor wrote it; support: a person or the AI answered'),
    body: z.string().describe('Text'),
    createdAt: isoTimeOut('Written'),
  })
  .describe('A message of the visitor’s conversation');
true satisfies Describes<typeof VisitorMessageOut, VisitorMessage>;

export const VisitorMessagesOut = z.object({
  verified: z.boolean().describe('The store vouched for who the visitor is'),
  messages: z.array(VisitorMessageOut).describe('Oldest first, at most 100'),
});

export const VisitorMessageSentOut = z.object({
  visitorToken: z
    .string()
    .optional()
    .describe('Only on a first message: the new visitor’s secret, sent back as `Authorization: Bearer <token>`'),
  verified: z.boolean().describe('The store vouched for who the visitor is'),
  message: VisitorMessageOut,
});

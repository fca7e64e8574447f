/** Input schemas of the inbox use cases; the HTTP edge and the tools validate with these. */
import { z } from 'zod';
import { CHANNELS, CONVERSATION_STATUSES, PRIORITIES } from '../../domain/conversation-status.js';

const idOf = (prefix: string, what: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{4,40}$`), `an id like ${prefix}_…`)
    .describe(`${what} id (${prefix}_…)`);
export const CustomerId = idOf('cus', 'Customer');
export const ConversationId = idOf('cnv', 'Conversation');
/** An order id (ord_…) or the order number customers quote (#1001). */
export const OrderRef = z
  .string()
  .min(1)
  .max(100)
  .describe("Order id (ord_…), order number such as #1001, or the channel's order reference such as ESG-58231467");

export const CreateConversationInput = z.object({
  customerId: CustomerId,
  channel: z
    .enum(CHANNELS)
    .default('email')
    .describe('Where the customer wrote: email, chat, phone, web, or a marketplace such as kogan'),
  subject: z.string().min(1).max(300).describe('One line saying what the conversation is about'),
  body: z.string().min(1).max(20000).optional().describe("The customer's first message, if they wrote one"),
  message: z
    .string()
    .min(1)
    .max(20000)
    .optional()
    .describe('An agent writing to the customer first: the first reply, sent like any reply (not with `body`)'),
  priority: z.enum(PRIORITIES).default('normal').describe('low, normal, high or urgent'),
  tags: z.array(z.string().min(1).max(40)).max(20).default([]).describe('Free labels, e.g. "returns"'),
  externalRef: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe("The channel's own ticket id, e.g. a Kogan ticket number"),
  orderIds: z.array(OrderRef).max(20).default([]).describe('Orders this conversation is about'),
});
export type CreateConversationInput = z.infer<typeof CreateConversationInput>;

export const UpdateConversationInput = z.object({
  subject: z.string().min(1).max(300).optional().describe('New subject'),
  priority: z.enum(PRIORITIES).optional().describe('low, normal, high or urgent'),
  tags: z.array(z.string().min(1).max(40)).max(20).optional().describe('Replaces the tags'),
  linkOrders: z.array(OrderRef).max(20).optional().describe('Orders to link to the conversation'),
  unlinkOrders: z.array(OrderRef).max(20).optional().describe('Linked orders to take off the conversation'),
});
export type UpdateConversationInput = z.infer<typeof UpdateConversationInput>;

export const StatusInput = z.object({ status: z.enum(CONVERSATION_STATUSES).describe('The status to move to') });

export const AssignInput = z.object({
  assignee: z
    .union([z.literal('me'), z.literal('ai_agent'), z.null(), z.string().min(1).max(120)])
    .describe('"me", a human agent\'s name, "ai_agent" for the AI agent, or null to unassign'),
});

export const MessageInput = z.object({ body: z.string().min(1).max(20000).describe('The text') });

export const InboundInput = z.object({
  customerId: CustomerId,
  channel: z.enum(CHANNELS).default('email'),
  subject: z.string().min(1).max(300).default('(no subject)'),
  body: z.string().min(1).max(20000).describe("The customer's message"),
  externalRef: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe("The channel's ticket id; messages with the same one join its conversation"),
  conversationId: ConversationId.optional().describe('The conversation the customer replied to, when known'),
});
export type InboundInput = z.infer<typeof InboundInput>;

export const TransferInput = z.object({
  customerId: CustomerId.describe('The customer being handed over (cus_…)'),
  summary: z
    .string()
    .min(1)
    .max(4000)
    .describe('What the customer wants and why a human is needed, in a few sentences'),
  conversationId: ConversationId.optional().describe(
    "The conversation to hand over; default: the customer's latest conversation that is not resolved or closed, or a new one",
  ),
  customerVerified: z
    .boolean()
    .default(false)
    .describe('True when the customer was identified (e.g. by their registered email)'),
  orderId: OrderRef.optional().describe('The order the conversation is about, if any'),
  done: z
    .array(z.string().min(1).max(500))
    .max(50)
    .default([])
    .describe('What was already done, e.g. "initiated return ret_… for 1 × Lamp"'),
  refused: z
    .array(
      z.object({
        action: z.string().min(1).max(100).describe('The action or tool that was refused, e.g. initiate_return'),
        reason: z.string().min(1).max(100).describe('The reason code it gave, e.g. return_window_expired'),
        why: z.string().min(1).max(1000).describe('The sentence of policy or the customer-facing explanation'),
      }),
    )
    .max(50)
    .default([])
    .describe('What was refused and why'),
});
export type TransferInput = z.infer<typeof TransferInput>;

export const MacroInput = z.object({
  name: z.string().min(1).max(120).describe('How agents find the macro'),
  body: z
    .string()
    .min(1)
    .max(20000)
    .describe('The reply text, with placeholders such as {{customer.name}} and {{order.name}}'),
});
export type MacroInput = z.infer<typeof MacroInput>;

export const TemplateInput = z.object({
  subject: z.string().min(1).max(300).describe('Email subject, with placeholders'),
  body: z.string().min(1).max(20000).describe('Message text, with placeholders'),
});

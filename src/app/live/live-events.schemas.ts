import { z } from 'zod';
import { ConversationId, CustomerId } from '../inbox/schemas.js';
import type { Describes } from '../describes.js';
import type { LiveEvent } from './live-events.js';

/** Which events a stream sends (`GET /v1/events`): all the caller may see, or one customer's, or one conversation's. */
export const EventStreamQuery = z.object({
  customerId: CustomerId.optional().describe("Only this customer's events"),
  conversationId: ConversationId.optional().describe("Only this conversation's events"),
  after: z
    .string()
    .regex(/^\d{1,15}$/, 'a seq (the id of an event)')
    .optional()
    .describe(
      'Send what committed after this event first, as the Last-Event-ID header does (which wins when both are sent)',
    ),
});

/** One event of the stream: the `data` of an SSE message whose `id` is the seq. */
export const LiveEventOut = z.object({
  seq: z.number().int().describe('Position in the timeline; the SSE id, to resume after with Last-Event-ID'),
  id: z.string().describe('The timeline event id (evt_…)'),
  type: z
    .string()
    .describe('The timeline event type, e.g. message.received, conversation.assigned, approval.requested'),
  customerId: z.string().nullable(),
  orderId: z.string().nullable(),
  conversationId: z.string().nullable().describe('The conversation an inbox event is about'),
  actorKind: z.enum(['human', 'ai_agent', 'system']),
  actorId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).describe("The event's data, as on the customer's timeline"),
  occurredAt: z.string().describe('ISO-8601 UTC'),
});
true satisfies Describes<typeof LiveEventOut, LiveEvent>;

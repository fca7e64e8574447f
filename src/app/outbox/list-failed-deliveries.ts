/**
 * The dead letters: deliveries the outbox gave up after the last attempt of its retry schedule — a confirmation that
 * never reached the customer, a push Shopify never answered. Listed for the people who look into them (newest
 * first), each with its error, customer, topic and attempts; `retry-delivery.ts` puts one back in the queue.
 */
import { z } from 'zod';
import { listFailedRows, type FailedRow } from '../../db/repo/outbox.js';
import type { AppContext } from '../context.js';

export const FailedDeliveriesQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .describe('How many, newest first (default 50, at most 200)'),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'the nextCursor of an earlier page')
    .optional()
    .describe('The nextCursor of the previous page'),
});

export const FailedDelivery = z.object({
  id: z.string().describe('The outbox row (obx_…)'),
  topic: z
    .string()
    .describe(
      'What was to be delivered: message.sent (an email), shopify.push, or the confirmation event (refund.issued, …)',
    ),
  customerId: z.string().nullable().describe('The customer it concerns'),
  customerName: z.string().nullable().describe("The customer's name"),
  orderId: z.string().nullable().describe('The order it concerns, if any'),
  orderName: z.string().nullable().describe('The order as people quote it (#1001)'),
  attempts: z.number().int().describe('Attempts made before it was given up'),
  lastError: z.string().nullable().describe("The last attempt's error (at most 500 characters)"),
  createdAt: z.string().describe('When the change that called for it was made, ISO-8601'),
  failedAt: z.string().describe('When it was given up, ISO-8601'),
  messageId: z.string().nullable().describe('For an email: the message (msg_…)'),
  conversationId: z.string().nullable().describe('For an email: its conversation (cnv_…)'),
});

export const FailedDeliveriesResult = z.object({
  items: z.array(FailedDelivery).describe('Given-up deliveries, newest first'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last'),
});

export async function listFailedDeliveries(
  ctx: AppContext,
  q: z.infer<typeof FailedDeliveriesQuery>,
): Promise<z.infer<typeof FailedDeliveriesResult>> {
  const limit = q.limit ?? 50;
  const found = await listFailedRows(ctx.database.db, {
    limit: limit + 1,
    beforeSeq: q.cursor === undefined ? undefined : Number(q.cursor),
  });
  const page = found.slice(0, limit);
  return {
    items: page.map(({ seq: _seq, ...row }: FailedRow) => row),
    nextCursor: found.length > limit ? String(page.at(-1)!.seq) : null,
  };
}

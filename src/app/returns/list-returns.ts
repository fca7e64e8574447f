/** Returns in one status across the store, oldest first: the queue of returns waiting for a decision (requested). */
import { z } from 'zod';
import { findReturnsByStatus } from '../../db/repo/actions.js';
import { RETURN_STATUSES } from '../../domain/return-status.js';
import type { AppContext } from '../context.js';
import { readOrderForAction } from '../orders/action-order.js';
import { toReturnView } from './return-view.js';
import { ReturnView } from './schemas.js';

export const ListReturnsQuery = z.object({
  status: z.enum(RETURN_STATUSES).default('requested').describe('The status to list; requested by default'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('At most this many, oldest first'),
});

export const ReturnListOut = z.object({ returns: z.array(ReturnView).describe('The returns, oldest first') });

export async function listReturns(
  ctx: AppContext,
  input: z.infer<typeof ListReturnsQuery>,
): Promise<z.infer<typeof ReturnListOut>> {
  const now = ctx.clock.now();
  const { db } = ctx.database;
  const found = await findReturnsByStatus(db, input.status, input.limit);
  const orders = new Map(
    await Promise.all(
      [...new Set(found.map((r) => r.orderId))].map(async (id) => [id, await readOrderForAction(db, id, now)] as const),
    ),
  );
  return { returns: found.map((r) => toReturnView(r, orders.get(r.orderId)!)) };
}

import { findCustomerEvents } from '../../db/repo/timeline.js';
import { invalid } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { requireCustomer } from './get-customer-details.js';

export interface TimelineEntry {
  id: string;
  type: string;
  orderId: string | null;
  actor: { kind: string; id: string | null };
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface TimelineInput {
  customerId: string;
  /** Event types to keep; `order.*` keeps every `order.` event. */
  types?: string[] | undefined;
  /** Only events before this cursor (from a previous page). */
  before?: string | undefined;
  limit?: number | undefined;
}

const TYPE = /^[a-z_]+(\.[a-z_]+|\.\*)?$/;

/** The customer's activity — orders, payments, shipments, actions, messages, handoffs, SOP steps — newest first. */
export async function getCustomerTimeline(
  ctx: AppContext,
  input: TimelineInput,
): Promise<{ events: TimelineEntry[]; nextCursor: string | null }> {
  await requireCustomer(ctx, input.customerId);
  const limit = input.limit ?? 50;
  const types = input.types ?? [];
  types.forEach((t, i) => {
    if (!TYPE.test(t)) throw invalid(`types.${i}`, 'an event type such as refund.issued, or a family such as order.*');
  });
  if (input.before !== undefined && !/^\d{1,18}$/.test(input.before))
    throw invalid('before', 'a cursor from a previous page (nextCursor)');
  const r = await findCustomerEvents(ctx.database.db, {
    customerId: input.customerId,
    types: types.filter((t) => !t.endsWith('.*')),
    families: types.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1)),
    beforeSeq: input.before === undefined ? undefined : Number(input.before),
    limit: limit + 1,
  });
  const page = r.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map((e) => ({
      id: e.id,
      type: e.type,
      orderId: e.orderId,
      actor: { kind: e.actorKind, id: e.actorId },
      data: e.data,
      occurredAt: e.occurredAt,
    })),
    nextCursor: r.length > limit && last ? String(last.seq) : null,
  };
}

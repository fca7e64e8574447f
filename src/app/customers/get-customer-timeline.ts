import { sql, type SQL } from 'drizzle-orm';
import { rows } from '../../db/database.js';
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
  const conds: SQL[] = [sql`customer_id = ${input.customerId}`];
  if (input.types?.length) {
    input.types.forEach((t, i) => {
      if (!TYPE.test(t))
        throw invalid(`types.${i}`, 'an event type such as refund.issued, or a family such as order.*');
    });
    const exact = input.types.filter((t) => !t.endsWith('.*'));
    const families = input.types.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1));
    const parts: SQL[] = [];
    if (exact.length)
      parts.push(
        sql`type in (${sql.join(
          exact.map((t) => sql`${t}`),
          sql`, `,
        )})`,
      );
    for (const f of families) parts.push(sql`starts_with(type, ${f})`);
    conds.push(sql`(${sql.join(parts, sql` or `)})`);
  }
  if (input.before !== undefined) {
    if (!/^\d{1,18}$/.test(input.before)) throw invalid('before', 'a cursor from a previous page (nextCursor)');
    conds.push(sql`seq < ${Number(input.before)}`);
  }
  const r = await rows<{
    id: string;
    seq: number | string;
    type: string;
    order_id: string | null;
    actor_kind: string;
    actor_id: string | null;
    data: Record<string, unknown> | string;
    at: string;
  }>(
    ctx.database.db,
    sql`select id, seq, type, order_id, actor_kind, actor_id, data,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
        from timeline_events where ${sql.join(conds, sql` and `)} order by seq desc limit ${limit + 1}`,
  );
  const page = r.slice(0, limit);
  const last = page[page.length - 1];
  return {
    events: page.map((e) => ({
      id: e.id,
      type: e.type,
      orderId: e.order_id,
      actor: { kind: e.actor_kind, id: e.actor_id },
      data: typeof e.data === 'string' ? (JSON.parse(e.data) as Record<string, unknown>) : e.data,
      occurredAt: e.at,
    })),
    nextCursor: r.length > limit && last ? String(last.seq) : null,
  };
}

import { latestTimelineSeq, timelineEventsAfter } from '../../db/repo/sop-runs.js';
import type { AppContext } from '../context.js';

export interface AwaitedEvent {
  seq: number;
  type: string;
  customerId: string | null;
  orderId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

/** Where the timeline stands now: a wait starting now looks only at later events. */
export async function currentTimelineSeq(ctx: AppContext): Promise<number> {
  return latestTimelineSeq(ctx.database.db);
}

/** The first event of one of `types` after `afterSeq` (for the customer, when known) that `matches`. */
export async function findAwaitedEvent(
  ctx: AppContext,
  q: { types: string[]; afterSeq: number; customerId: string | null },
  matches: (e: AwaitedEvent) => boolean,
): Promise<AwaitedEvent | undefined> {
  const rows = await timelineEventsAfter(ctx.database.db, q);
  return rows
    .map((r) => ({
      seq: r.seq,
      type: r.type,
      customerId: r.customerId,
      orderId: r.orderId,
      data: r.data,
      occurredAt: r.occurredAt,
    }))
    .find(matches);
}

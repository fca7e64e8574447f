import { readHorizon, timelineCursor, type ReadCursor } from '../../db/repo/event-cursor.js';
import { eventTypesOf, timelineEventsAfter } from '../../db/repo/sop-runs.js';
import type { AppContext } from '../context.js';

export interface AwaitedEvent {
  seq: number;
  type: string;
  customerId: string | null;
  orderId: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}

/**
 * Where the timeline stands now for a wait for `types` (for the customer, when known): a read cursor, so the wait
 * looks only at later events — and at those that commit later with a lower seq.
 */
export async function currentTimelineCursor(
  ctx: AppContext,
  q: { types: string[]; customerId: string | null },
): Promise<ReadCursor> {
  const db = ctx.database.db;
  return timelineCursor(db, await readHorizon(db), eventTypesOf(q));
}

/** The first event of one of `types` after the cursor (for the customer, when known) that `matches`. */
export async function findAwaitedEvent(
  ctx: AppContext,
  q: { types: string[]; after: ReadCursor; customerId: string | null },
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

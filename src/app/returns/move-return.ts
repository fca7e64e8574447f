/**
 * One step of a return's lifecycle, for approve / decline / pick up / receive / cancel: the order is locked,
 * the move is checked against the transition table, and the step is applied with its one timeline event.
 */
import { and, eq } from 'drizzle-orm';
import * as s from '../../db/schema/index.js';
import { restock } from '../../db/repo/actions.js';
import type { ReturnRecord } from '../../db/repo/actions.js';
import type { TimelineEvent } from '../../domain/timeline.js';
import { assertTransition, type ReturnStatus } from '../../domain/return-status.js';
import type { AppContext } from '../context.js';
import { lockOrderForAction, type ActionOrder } from '../orders/action-order.js';
import { runAction, type ActionOptions, type ActionResult } from '../write.js';
import { requireReturn, toReturnView } from './return-view.js';
import type { ReturnStepPreview, ReturnView } from './schemas.js';

type ReturnRow = typeof s.returns.$inferInsert;
export type StepData = { returnId: string; trackingId: string; from: string; to: string };

export interface ReturnStep {
  to: ReturnStatus;
  /** Columns set besides status and updatedAt. */
  set(now: string): Partial<ReturnRow>;
  /** Stock put back by this step. */
  restock?(r: ReturnRecord, o: ActionOrder): { variantId: string; sku: string; quantity: number }[];
  event(r: ReturnRecord, o: ActionOrder, data: StepData, preview: ReturnStepPreview): TimelineEvent;
  summary(r: ReturnRecord): string;
}

export async function moveReturn(
  ctx: AppContext,
  operation: string,
  input: { returnId: string },
  opts: ActionOptions,
  step: ReturnStep,
): Promise<ActionResult<ReturnStepPreview, ReturnView>> {
  let state: { r: ReturnRecord; o: ActionOrder } | undefined;
  return runAction<ReturnStepPreview, ReturnView>(ctx, operation, input, opts, {
    claimsWithOrderLock: true,
    plan: async (scope) => {
      const { tx } = scope;
      const found = await requireReturn(tx, input.returnId);
      const o = await lockOrderForAction(scope, found.orderId);
      const r = await requireReturn(tx, found.id); // read again under the order lock
      const from = r.status as ReturnStatus;
      assertTransition(from, step.to, r.trackingId);
      state = { r, o };
      return {
        returnId: r.id,
        trackingId: r.trackingId,
        from,
        to: step.to,
        restock: step.restock?.(r, o) ?? [],
        summary: step.summary(r),
      };
    },
    apply: async ({ tx, now, record }, preview) => {
      const { r, o } = state!;
      const at = now.toISOString();
      await tx
        .update(s.returns)
        .set({ ...step.set(at), status: step.to, updatedAt: at })
        .where(and(eq(s.returns.id, r.id), eq(s.returns.status, preview.from)));
      await restock(tx, preview.restock);
      await record(
        step.event(r, o, { returnId: r.id, trackingId: r.trackingId, from: preview.from, to: step.to }, preview),
      );
      return toReturnView(await requireReturn(tx, r.id), o);
    },
  });
}

/**
 * One step of a return's lifecycle, for approve / decline / pick up / receive / cancel: the order is locked,
 * the move is checked against the transition table, and the step is applied with its one timeline event.
 */
import { moveReturnStatus, restock, type ReturnRecord, type ReturnStepColumns } from '../../db/repo/actions.js';
import type { TimelineEvent } from '../../domain/timeline.js';
import { assertTransition, type ReturnStatus } from '../../domain/return-status.js';
import type { AppContext } from '../context.js';
import { runOrderAction, type ActionOrder } from '../orders/action-order.js';
import type { ActionOptions, ActionResult } from '../write.js';
import { requireReturn, toReturnView } from './return-view.js';
import type { ReturnStepPreview, ReturnView } from './schemas.js';

type StepData = { returnId: string; trackingId: string; from: string; to: string };

export interface ReturnStep {
  to: ReturnStatus;
  /** Columns set besides status and updatedAt. */
  set(now: string): ReturnStepColumns;
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
  return runOrderAction(ctx, operation, input, opts, {
    order: async (ex) => (await requireReturn(ex, input.returnId)).orderId,
    plan: async ({ tx }, o) => {
      const r = await requireReturn(tx, input.returnId); // read again under the order lock
      assertTransition(r.status, step.to, r.trackingId);
      const preview: ReturnStepPreview = {
        returnId: r.id,
        trackingId: r.trackingId,
        from: r.status,
        to: step.to,
        restock: step.restock?.(r, o) ?? [],
        summary: step.summary(r),
      };
      return { preview, r, o };
    },
    apply: async ({ tx, now, record }, { preview, r, o }) => {
      const at = now.toISOString();
      await moveReturnStatus(tx, { id: r.id, from: r.status, to: step.to, at, set: step.set(at) });
      await restock(tx, preview.restock);
      await record(
        step.event(r, o, { returnId: r.id, trackingId: r.trackingId, from: preview.from, to: step.to }, preview),
      );
      return toReturnView(await requireReturn(tx, r.id), o);
    },
  });
}

/** The return lifecycle's use cases: approve, decline, mark picked up, receive (restocks), cancel. */
import type { AppContext } from '../context.js';
import type { ActionOptions } from '../write.js';
import { moveReturn } from './move-return.js';
import type {
  CancelReturnInput,
  DeclineReturnInput,
  MarkReturnPickedUpInput,
  ReceiveReturnInput,
  ReturnIdInput,
} from './schemas.js';

export function approveReturn(ctx: AppContext, input: ReturnIdInput, opts: ActionOptions) {
  return moveReturn(ctx, 'approve_return', input, opts, {
    to: 'approved',
    set: (at) => ({ approvedAt: at }),
    summary: (r) => `Approve return ${r.trackingId}; pickup of the items can then begin.`,
    event: (r, o, data) => ({ type: 'return.approved', customerId: r.customerId, orderId: o.record.id, data }),
  });
}

export function declineReturn(ctx: AppContext, input: DeclineReturnInput, opts: ActionOptions) {
  return moveReturn(ctx, 'decline_return', input, opts, {
    to: 'declined',
    set: (at) => ({ declinedAt: at, closeReason: input.reason }),
    summary: (r) => `Decline return ${r.trackingId}: ${input.reason}`,
    event: (r, o, data) => ({
      type: 'return.declined',
      customerId: r.customerId,
      orderId: o.record.id,
      data: { ...data, reason: input.reason },
    }),
  });
}

export function markReturnPickedUp(ctx: AppContext, input: MarkReturnPickedUpInput, opts: ActionOptions) {
  return moveReturn(ctx, 'mark_return_picked_up', input, opts, {
    to: 'picked_up',
    set: (at) => ({ pickedUpAt: at, carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null }),
    summary: (r) => `Mark return ${r.trackingId} as picked up; it is in transit to the returns centre.`,
    event: (r, o, data) => ({ type: 'return.picked_up', customerId: r.customerId, orderId: o.record.id, data }),
  });
}

export function receiveReturn(ctx: AppContext, input: ReceiveReturnInput, opts: ActionOptions) {
  return moveReturn(ctx, 'receive_return', input, opts, {
    to: 'received',
    set: (at) => ({ receivedAt: at }),
    restock: (r, o) =>
      input.restock === false
        ? []
        : r.items.flatMap((it) => {
            const line = o.record.lines.find((l) => l.id === it.lineId);
            return line?.variantId && line.requiresShipping
              ? [{ variantId: line.variantId, sku: line.sku, quantity: it.quantity }]
              : [];
          }),
    summary: (r) =>
      `Receive return ${r.trackingId} at the centre${input.restock === false ? '' : ' and restock its items'}; it can then be refunded (refund_order with its returnId).`,
    event: (r, o, data, p) => ({
      type: 'return.received',
      customerId: r.customerId,
      orderId: o.record.id,
      data: { ...data, restocked: p.restock.map(({ variantId, quantity }) => ({ variantId, quantity })) },
    }),
  });
}

export function cancelReturn(ctx: AppContext, input: CancelReturnInput, opts: ActionOptions) {
  return moveReturn(ctx, 'cancel_return', input, opts, {
    to: 'canceled',
    set: (at) => ({ canceledAt: at, closeReason: input.reason ?? null }),
    summary: (r) => `Cancel return ${r.trackingId}; its items can be returned again later while the window is open.`,
    event: (r, o, data) => ({ type: 'return.canceled', customerId: r.customerId, orderId: o.record.id, data }),
  });
}

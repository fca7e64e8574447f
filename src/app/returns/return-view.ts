import type { Executor } from '../../db/database.js';
import { findReturn, type ReturnRecord } from '../../db/repo/actions.js';
import { RETURN_DISCLOSURES } from '../../domain/return-rules.js';
import { RETURN_STATUS_LABEL, RETURN_TRANSITIONS } from '../../domain/return-status.js';
import { unitsValue } from '../../domain/refund-rules.js';
import { notFound } from '../../kernel/errors.js';
import { formatMoney, sumMinor } from '../../kernel/money.js';
import { lineOf, paidFor, readOrderForAction, type ActionOrder } from '../orders/action-order.js';
import type { ReturnView } from './schemas.js';
import { KOGAN_CHANNEL } from '../../domain/kogan.js';
import { shippingWithLastLines } from '../refunds/refund-order.js';

export async function requireReturn(ex: Executor, ref: string): Promise<ReturnRecord> {
  const r = await findReturn(ex, ref);
  if (!r) throw notFound('return', ref);
  return r;
}

export function toReturnView(r: ReturnRecord, o: ActionOrder): ReturnView {
  const items = r.items.map((it) => {
    const line = lineOf(o, it.lineId, 'returnId');
    const itemCost = it.itemCost ?? unitsValue(paidFor(o, line), line.quantity, 0, it.quantity);
    return { itemId: line.id, sku: line.sku, title: line.title, quantity: it.quantity, itemCost };
  });
  const itemCost = r.refund?.amount ?? sumMinor(items.map((i) => i.itemCost));
  const { status } = r;
  // What its refund will refund: on a Kogan order the return that takes the last lines carries what is left of shipping.
  const refundAmount =
    r.refund?.amount ??
    itemCost +
      (o.record.channel === KOGAN_CHANNEL && status !== 'declined' && status !== 'canceled'
        ? shippingWithLastLines(o, new Map(items.map((i) => [i.itemId, i.quantity])))
        : 0);
  return {
    id: r.id,
    trackingId: r.trackingId,
    orderId: r.orderId,
    orderName: o.name,
    customerId: r.customerId,
    status,
    statusLabel: RETURN_STATUS_LABEL[status],
    reason: r.reason,
    note: r.note,
    currency: o.record.currency,
    items,
    itemCost,
    itemCostFormatted: formatMoney(itemCost, o.record.currency),
    refundAmount,
    refundAmountFormatted: formatMoney(refundAmount, o.record.currency),
    refund: r.refund ? { refundId: r.refund.id, amount: r.refund.amount, refundedAt: r.refund.createdAt } : null,
    requestedAt: r.requestedAt,
    approvedAt: r.approvedAt,
    pickedUpAt: r.pickedUpAt,
    receivedAt: r.receivedAt,
    refundedAt: r.refundedAt,
    declinedAt: r.declinedAt,
    canceledAt: r.canceledAt,
    closeReason: r.closeReason,
    carrier: r.carrier,
    trackingNumber: r.trackingNumber,
    nextSteps: [...RETURN_TRANSITIONS[status]],
    disclosures: [...RETURN_DISCLOSURES],
  };
}

export async function loadReturnView(ex: Executor, ref: string, now: Date): Promise<ReturnView> {
  const r = await requireReturn(ex, ref);
  return toReturnView(r, await readOrderForAction(ex, r.orderId, now));
}

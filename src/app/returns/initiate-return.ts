/**
 * initiate_return (Handling Returns procedure, step 5): a return of delivered, returnable items within their window, never more
 * than delivered less already returned or requested. Gives a tracking id and the disclosures to read out.
 */
import { insertReturn } from '../../db/repo/actions.js';
import { RETURN_DISCLOSURES } from '../../domain/return-rules.js';
import { nextUnitPosition, unitsValue } from '../../domain/refund-rules.js';
import { invalid, notEligible } from '../../kernel/errors.js';
import { newId, newReturnTrackingId } from '../../kernel/ids.js';
import { formatMoney, sumMinor } from '../../kernel/money.js';
import type { AppContext } from '../context.js';
import { lineOf, paidFor, returnLineState, runOrderAction, type ActionOrder } from '../orders/action-order.js';
import type { ActionOptions, ActionResult, WriteScope } from '../write.js';
import { itemEligibility } from './check-return-eligibility.js';
import { toReturnView } from './return-view.js';
import type { InitiateReturnInput, InitiateReturnPreview, ReturnView } from './schemas.js';
import { requireCustomer } from '../../domain/order-customer.js';

export async function initiateReturn(
  ctx: AppContext,
  input: InitiateReturnInput,
  opts: ActionOptions,
): Promise<ActionResult<InitiateReturnPreview, ReturnView>> {
  return runOrderAction(ctx, 'initiate_return', input, opts, {
    order: input.orderId,
    plan: (scope, o) => planReturn(scope, o, input),
    apply: (scope, plan) => applyReturn(scope, plan, input),
  });
}

interface Plan {
  preview: InitiateReturnPreview;
  order: ActionOrder;
  customerId: string;
}

async function planReturn({ now }: WriteScope, o: ActionOrder, input: InitiateReturnInput): Promise<Plan> {
  const customerId = requireCustomer(o.record, 'a return');
  const seen = new Set<string>();
  const items = input.items.map((it, i) => {
    if (seen.has(it.itemId))
      throw invalid(`items.${i}.itemId`, 'is listed twice; give each item once with its total quantity');
    seen.add(it.itemId);
    const line = lineOf(o, it.itemId, `items.${i}.itemId`);
    const e = itemEligibility(o, line, o.returnRules, now, it.quantity);
    if (!e.eligible) {
      throw notEligible(e.reason!, e.message!, e.policy!, {
        itemId: line.id,
        path: `items.${i}`,
        returnableQuantity: e.returnableQuantity,
        window: e.window,
      });
    }
    const itemCost = unitsValue(
      paidFor(o, line),
      line.quantity,
      nextUnitPosition(returnLineState(o, line)),
      it.quantity,
    );
    return { itemId: line.id, sku: line.sku, title: line.title, quantity: it.quantity, itemCost };
  });
  const cur = o.record.currency;
  const estimatedRefund = sumMinor(items.map((i) => i.itemCost));
  return {
    order: o,
    customerId,
    preview: {
      orderId: o.record.id,
      orderName: o.name,
      reason: input.reason,
      currency: cur,
      items,
      estimatedRefund,
      estimatedRefundFormatted: formatMoney(estimatedRefund, cur),
      disclosures: [...RETURN_DISCLOSURES],
      summary:
        `Return ${items.map((i) => `${i.quantity} × ${i.title}`).join(', ')} from order ${o.name} (${input.reason}). ` +
        `Once received, ${formatMoney(estimatedRefund, cur)} (the item cost) is refunded; shipping fees are not refunded. The return is approved first, then pickup starts.`,
    },
  };
}

async function applyReturn(
  { tx, now, record }: WriteScope,
  { order: o, customerId, preview }: Plan,
  input: InitiateReturnInput,
): Promise<ReturnView> {
  const at = now.toISOString();
  const id = newId('return', now.getTime());
  const trackingId = newReturnTrackingId();
  const stored = await insertReturn(
    tx,
    {
      id,
      trackingId,
      orderId: o.record.id,
      customerId,
      reason: input.reason,
      note: input.note ?? null,
      status: 'requested',
      requestedAt: at,
      updatedAt: at,
    },
    preview.items.map((i) => ({ lineId: i.itemId, quantity: i.quantity, itemCost: i.itemCost })),
  );
  await record({
    type: 'return.requested',
    customerId: o.record.customerId,
    orderId: o.record.id,
    data: {
      returnId: id,
      trackingId,
      reason: input.reason,
      items: preview.items.map((i) => ({ lineId: i.itemId, quantity: i.quantity })),
    },
  });
  return toReturnView(stored, o);
}

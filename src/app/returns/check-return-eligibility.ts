/** check_return_eligibility (Handling Returns procedure, step 4): per item, whether it can be returned now and, if not, which rule says no. */
import { checkReturnEligibility, type ItemEligibility } from '../../domain/return-rules.js';
import { resolveReturnWindow, type ReturnPolicyRule } from '../../domain/return-window.js';
import type { LineRecord } from '../../db/repo/orders.js';
import type { AppContext } from '../context.js';
import { lineOf, readOrderForAction, returnLineState, type ActionOrder } from '../orders/action-order.js';
import type { CheckReturnEligibilityInput, EligibilityResult } from './schemas.js';

export function itemEligibility(
  o: ActionOrder,
  line: LineRecord,
  rules: readonly ReturnPolicyRule[],
  now: Date,
  quantity = 1,
): ItemEligibility {
  const window = resolveReturnWindow(
    { productWindowDays: line.returnWindowDays, category: line.category, channel: o.record.channel },
    rules,
  );
  return checkReturnEligibility(
    returnLineState(o, line),
    { name: o.name, placedAt: o.record.placedAt, canceled: o.derived.orderStatus === 'canceled', now, window },
    quantity,
  );
}

export async function checkReturnEligibilityOf(
  ctx: AppContext,
  input: CheckReturnEligibilityInput,
): Promise<EligibilityResult> {
  const now = ctx.clock.now();
  const { db } = ctx.database;
  const o = await readOrderForAction(db, input.orderId, now);
  const asked = input.items ?? o.record.lines.map((l) => ({ itemId: l.id, quantity: undefined }));
  return {
    orderId: o.record.id,
    orderName: o.name,
    placedAt: o.record.placedAt,
    items: asked.map((it, i) =>
      itemEligibility(o, lineOf(o, it.itemId, `items.${i}.itemId`), o.returnRules, now, it.quantity ?? 1),
    ),
  };
}

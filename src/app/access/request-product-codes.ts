import { activeCodesOfLine } from '../../db/repo/access-codes.js';
import { notEligible } from '../../kernel/errors.js';
import { ACCESS_POLICY } from '../../domain/access-codes.js';
import { assertNotCanceled } from '../../domain/order-changes.js';
import { FINANCIAL_STATUS_LABEL } from '../../domain/order-status.js';
import type { AppContext } from '../context.js';
import { lineOf, runOrderAction } from '../orders/action-order.js';
import type { ActionOptions, ActionResult } from '../write.js';
import { isPaidStatus, issueCodes, unitsStillPaid } from './issue-codes.js';
import type { RequestProductCodesInput } from './schemas.js';
import { requireCustomer } from '../../domain/order-customer.js';

export interface RequestCodesPreview {
  orderId: string;
  orderName: string;
  itemId: string;
  sku: string;
  /** Codes the item already has; when there are any, nothing is issued (the call is idempotent). */
  existingCodes: string[];
  /** How many codes will be issued: one per unit still paid for (not refunded), or 0 when the item already has codes. */
  codesToIssue: number;
  summary: string;
}

export interface RequestCodesResult {
  /** The new codes; empty when the item already had codes. */
  issuedCodes: string[];
  /** Every active code of the item after the call. */
  activeCodes: string[];
  alreadyIssued: boolean;
}

/** The product-swap procedure step 7, "request codes": issues access codes for a paid digital item that has none. */
export async function requestProductCodes(
  ctx: AppContext,
  input: RequestProductCodesInput,
  opts: ActionOptions,
): Promise<ActionResult<RequestCodesPreview, RequestCodesResult>> {
  return runOrderAction(ctx, 'request_product_codes', input, opts, {
    order: input.orderId,
    async plan({ tx }, o) {
      const order = o.record;
      assertNotCanceled(order);
      const line = lineOf(o, input.itemId, 'itemId');
      if (line.productKind !== 'digital_access') {
        throw notEligible(
          'not_access_product',
          `${line.sku} is not a digital access product; it has no access codes.`,
          ACCESS_POLICY.notAccessProduct,
        );
      }
      const existing = (await activeCodesOfLine(tx, line.id)).map((c) => c.code);
      const financial = o.derived.financialStatus;
      if (existing.length === 0 && !isPaidStatus(financial)) {
        throw notEligible(
          'order_unpaid',
          `Order #${order.number} is ${FINANCIAL_STATUS_LABEL[financial]}; codes are issued once it is paid.`,
          ACCESS_POLICY.orderUnpaid,
        );
      }
      const paidUnits = unitsStillPaid(o, line);
      if (existing.length === 0 && paidUnits === 0) {
        throw notEligible(
          'item_refunded',
          `${line.sku} on order #${order.number} has been refunded; it gives no access.`,
          ACCESS_POLICY.itemRefunded,
        );
      }
      const codesToIssue = existing.length > 0 ? 0 : paidUnits;
      const preview: RequestCodesPreview = {
        orderId: order.id,
        orderName: o.name,
        itemId: line.id,
        sku: line.sku,
        existingCodes: existing,
        codesToIssue,
        summary:
          codesToIssue > 0
            ? `${codesToIssue} access code(s) will be issued for ${line.sku} on order ${o.name}.`
            : `${line.sku} on order ${o.name} already has ${existing.length} active code(s); nothing new is issued.`,
      };
      return { preview, order };
    },
    async apply({ tx, now, record }, { preview: plan, order }) {
      // Already issued: an idempotent no-op, so no timeline event (nothing happened).
      if (plan.codesToIssue === 0) return { issuedCodes: [], activeCodes: plan.existingCodes, alreadyIssued: true };
      const issuedCodes = await issueCodes(tx, {
        lineId: plan.itemId,
        customerId: requireCustomer(order, 'issuing access codes'),
        sku: plan.sku,
        count: plan.codesToIssue,
        now,
      });
      await record({
        type: 'access_codes.issued',
        customerId: order.customerId,
        orderId: order.id,
        data: { itemId: plan.itemId, sku: plan.sku, codes: issuedCodes },
      });
      return {
        issuedCodes,
        activeCodes: (await activeCodesOfLine(tx, plan.itemId)).map((c) => c.code),
        alreadyIssued: false,
      };
    },
  });
}

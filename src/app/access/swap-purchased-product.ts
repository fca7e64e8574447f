import { activeCodesOfLine, revokeCodes } from '../../db/repo/access-codes.js';
import { setLineVariant, touchOrder } from '../../db/repo/order-changes.js';
import { adjustInventory, findVariantFacts } from '../../db/repo/variants.js';
import { notEligible } from '../../kernel/errors.js';
import { formatMoney } from '../../kernel/money.js';
import { ACCESS_POLICY, assertSwapAllowed } from '../../domain/access-codes.js';
import { assertNotCanceled, isAvailable } from '../../domain/order-changes.js';
import type { AppContext } from '../context.js';
import { loadTargetVariant } from '../order-changes/variant-change.js';
import { lineOf, readBack, runOrderAction } from '../orders/action-order.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import type { ActionOptions, ActionResult } from '../write.js';
import { isPaidStatus, issueCodes, unitsStillPaid } from './issue-codes.js';
import type { SwapPurchasedProductInput } from './schemas.js';
import { lineTitle } from '../../domain/catalog.js';
import { assertChangeableInSopdesk } from '../../domain/shopify.js';
import { requireCustomer } from '../../domain/order-customer.js';

interface ProductSide {
  variantId: string | null;
  productId: string | null;
  productTitle: string;
  sku: string;
  title: string;
  unitPrice: number;
  price: string;
}

export interface SwapPreview {
  orderId: string;
  orderName: string;
  itemId: string;
  quantity: number;
  currency: string;
  from: ProductSide;
  to: ProductSide & { variantId: string; productId: string };
  /** Active codes of the item that will be revoked (digital access products). */
  codesToRevoke: string[];
  /** How many new codes will be issued for the new SKU (one per unit; 0 for physical products or unpaid orders). */
  codesToIssue: number;
  summary: string;
  /** The product-swap procedure: make sure the customer knows about the change; then sync the purchase history and read the codes back. */
  nextSteps: string[];
}

export interface SwapResult {
  order: OrderView;
  revokedCodes: string[];
  issuedCodes: string[];
}

/**
 * The product-swap procedure "Changing a Product via Activity to Grant Access": switches a purchased item to a different
 * product of exactly the same price. For digital access products the old codes are revoked and new
 * ones issued in the same transaction.
 */
export async function swapPurchasedProduct(
  ctx: AppContext,
  input: SwapPurchasedProductInput,
  opts: ActionOptions,
): Promise<ActionResult<SwapPreview, SwapResult>> {
  return runOrderAction(ctx, 'swap_purchased_product', input, opts, {
    order: input.orderId,
    async plan({ tx }, o) {
      const order = o.record;
      assertNotCanceled(order);
      assertChangeableInSopdesk(order, 'product_swap', ctx.shopify !== undefined);
      const customerId = requireCustomer(order, 'a product swap');
      const line = lineOf(o, input.itemId, 'itemId');
      // Errors name the field the agent typed (newSku) or the id given (newVariantId), at the input's top.
      const target = await loadTargetVariant(tx, input, '');
      assertSwapAllowed(line, target, order.currency);
      if (!isAvailable(target, line.quantity)) {
        throw notEligible(
          'variant_unavailable',
          `${target.sku} (${target.productTitle}) is not available.`,
          ACCESS_POLICY.variantUnavailable,
        );
      }
      if (
        line.requiresShipping &&
        order.packages.some((p) => p.status !== 'failed' && p.items.some((i) => i.lineId === line.id))
      ) {
        throw notEligible(
          'line_shipped',
          `${line.sku} on order #${order.number} has shipped; it cannot be swapped.`,
          ACCESS_POLICY.lineShipped,
        );
      }
      const current = line.variantId ? await findVariantFacts(tx, { id: line.variantId }) : undefined;
      const digital = target.kind === 'digital_access';
      const paid = isPaidStatus(o.derived.financialStatus);
      const codesToRevoke = digital ? (await activeCodesOfLine(tx, line.id)).map((c) => c.code) : [];
      const codesToIssue = digital && (paid || codesToRevoke.length > 0) ? unitsStillPaid(o, line) : 0;
      const cur = order.currency;
      const from = {
        variantId: line.variantId,
        productId: line.productId,
        productTitle: current?.productTitle ?? line.title,
        sku: line.sku,
        title: line.title,
        unitPrice: line.unitPrice,
        price: formatMoney(line.unitPrice, cur),
      };
      const to = {
        variantId: target.id,
        productId: target.productId,
        productTitle: target.productTitle,
        sku: target.sku,
        title: lineTitle(target.productTitle, target.title),
        unitPrice: target.price,
        price: formatMoney(target.price, cur),
      };
      const preview: SwapPreview = {
        orderId: order.id,
        orderName: o.name,
        itemId: line.id,
        quantity: line.quantity,
        currency: cur,
        from,
        to,
        codesToRevoke,
        codesToIssue,
        summary:
          `Order ${o.name}: ${from.productTitle} (${from.sku}, ${from.price}) becomes ${to.productTitle} (${to.sku}, ${to.price})` +
          (digital ? `; ${codesToRevoke.length} access code(s) revoked, ${codesToIssue} new code(s) issued.` : '.'),
        nextSteps: [
          'Tell the customer about the change so they are not confused.',
          'Call sync_purchase_history for the customer and check that it reports changed: true.',
          ...(digital ? ['Call get_product_codes to verify the new code is listed.'] : []),
        ],
      };
      return { preview, o, customerId };
    },
    async apply(scope, { preview: plan, o, customerId }) {
      const { tx, now, record } = scope;
      await setLineVariant(tx, plan.itemId, { variantId: plan.to.variantId, sku: plan.to.sku, title: plan.to.title });
      if (plan.from.variantId) await adjustInventory(tx, plan.from.variantId, plan.quantity);
      await adjustInventory(tx, plan.to.variantId, -plan.quantity);
      const active = await activeCodesOfLine(tx, plan.itemId);
      await revokeCodes(
        tx,
        active.map((c) => c.id),
        now.toISOString(),
      );
      const issuedCodes = await issueCodes(tx, {
        lineId: plan.itemId,
        customerId,
        sku: plan.to.sku,
        count: plan.codesToIssue,
        now,
      });
      await touchOrder(tx, plan.orderId, now.toISOString());
      const revokedCodes = active.map((c) => c.code);
      await record({
        type: 'product.swapped',
        customerId,
        orderId: plan.orderId,
        data: {
          itemId: plan.itemId,
          before: {
            variantId: plan.from.variantId,
            productId: plan.from.productId,
            sku: plan.from.sku,
            title: plan.from.title,
            unitPrice: plan.from.unitPrice,
          },
          after: {
            variantId: plan.to.variantId,
            productId: plan.to.productId,
            sku: plan.to.sku,
            title: plan.to.title,
            unitPrice: plan.to.unitPrice,
          },
          revokedCodes,
          issuedCodes,
        },
      });
      return { order: toOrderView(await readBack(scope, o), now), revokedCodes, issuedCodes };
    },
  });
}

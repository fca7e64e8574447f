import { setShippingAddress } from '../../db/repo/order-changes.js';
import { checkAddress, formatAddress } from '../../domain/addresses.js';
import { assertChangeableInSopdesk, SHOPIFY_CHANNEL } from '../../domain/shopify.js';
import { queueShopifyPush } from '../outbox/push-to-shopify.js';
import type { AddressData } from '../../domain/timeline.js';
import type { AppContext } from '../context.js';
import { assertPending, readBack, runOrderAction } from '../orders/action-order.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import type { ActionOptions, ActionResult } from '../write.js';
import type { ModifyPendingOrderAddressInput } from './schemas.js';

export interface AddressChangePreview {
  orderId: string;
  orderName: string;
  before: AddressData | null;
  after: AddressData;
  /** A Shopify order: the new address is also sent to Shopify. */
  sentToShopify: boolean;
  summary: string;
}

/**
 * Changes the shipping address of an order that has not shipped. On a Shopify order the new address is pushed to
 * Shopify through the outbox (Shopify ships from its own record); without the Shopify connector it is refused.
 */
export async function modifyPendingOrderAddress(
  ctx: AppContext,
  input: ModifyPendingOrderAddressInput,
  opts: ActionOptions,
): Promise<ActionResult<AddressChangePreview, { order: OrderView }>> {
  return runOrderAction(ctx, 'modify_pending_order_address', input, opts, {
    order: input.orderId,
    async plan(_scope, o) {
      assertPending(o);
      const order = o.record;
      assertChangeableInSopdesk(order, 'shipping_address', ctx.shopify !== undefined);
      checkAddress(input.address);
      // The place is replaced as a whole (a line2 of the old street must not stick to the new one), but the parcel
      // keeps its recipient unless a new name is given.
      const keptName = !input.address.name && order.shippingAddress?.name ? { name: order.shippingAddress.name } : {};
      const after = { ...keptName, ...input.address };
      const preview: AddressChangePreview = {
        orderId: order.id,
        orderName: o.name,
        before: order.shippingAddress,
        after,
        sentToShopify: order.channel === SHOPIFY_CHANNEL,
        summary: `Order ${o.name} will ship to ${formatAddress(after)}.`,
      };
      return { preview, o };
    },
    async apply(scope, { preview: plan, o }) {
      const { tx, now, record } = scope;
      // On a Shopify order, a Shopify version older than this change (an orders/updated already on its way) must not
      // bring the old address back: channel edits apply only from versions newer than this (`recordOrderEditOn`).
      await setShippingAddress(tx, {
        orderId: plan.orderId,
        address: plan.after,
        at: now.toISOString(),
        channelUpdatedAt: plan.sentToShopify,
      });
      const order = await readBack(scope, o);
      await queueShopifyPush(scope, order, ctx.shopify !== undefined, {
        action: 'address',
        orderId: order.id,
        customerId: order.customerId,
      });
      await record({
        type: 'order.address_changed',
        customerId: order.customerId,
        orderId: order.id,
        data: { before: plan.before, after: plan.after },
      });
      return { order: toOrderView(order, now) };
    },
  });
}

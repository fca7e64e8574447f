/**
 * What sopdesk asks of Shopify when an agent cancels or refunds a Shopify order: only Shopify can move the money
 * back to the customer's card, so sopdesk's cancel and refund are pushed there (outbound; docs/connectors.md).
 * The port has only the two calls sopdesk makes. Implementation: src/connectors/shopify/admin-client.ts (Admin
 * GraphQL API). Ids are Shopify GIDs (`gid://shopify/Order/…`); amounts are minor units, as everywhere in sopdesk.
 */
import type { CancelReason } from './cancel-rules.js';
import { notEligible } from '../kernel/errors.js';
import { truncateText } from '../kernel/text.js';

export interface ShopifyCancel {
  shopifyOrderId: string;
  reason: CancelReason;
  /** Whether Shopify refunds what the customer paid; sopdesk refunds through createRefund, so it sends false. */
  refund: boolean;
  /** Whether Shopify puts the order's unfulfilled units back in stock. */
  restock: boolean;
  /** sopdesk sends its own confirmation (from its templates), so Shopify's is not wanted twice. */
  notifyCustomer: boolean;
  /** Visible to staff only. */
  staffNote: string;
}

/** How Shopify treats the stock of refunded units. */
export type ShopifyRestockType = 'NO_RESTOCK' | 'CANCEL' | 'RETURN';

export interface ShopifyRefund {
  shopifyOrderId: string;
  lines: { shopifyLineItemId: string; quantity: number; restockType: ShopifyRestockType }[];
  /** Minor units of shipping refunded; absent = none. */
  shipping?: number | undefined;
  /** Minor units, all of it (lines + shipping, or less when the agent chose less). */
  amount: number;
  currency: string;
  note: string;
  /** Stable per sopdesk refund: a retried push creates the refund once. */
  idempotencyKey: string;
}

export interface ShopifyPort {
  /** Cancels the order in Shopify. Shopify does it asynchronously; an accepted request is enough for sopdesk. */
  cancelOrder(cancel: ShopifyCancel): Promise<void>;
  /** Refunds the lines and/or amount on the order's own payments; answers the refund Shopify created. */
  createRefund(refund: ShopifyRefund): Promise<{ shopifyRefundId: string }>;
  /** Replaces the order's shipping address (a full replace: safe to repeat). */
  updateShippingAddress(update: { shopifyOrderId: string; address: ShopifyMailingAddress }): Promise<void>;
}

/**
 * Shopify refused the request (its `userErrors`): asking again will not help; a person must look. Anything else a
 * ShopifyPort throws (rate limited, Shopify down, no answer) is worth trying again later.
 */
export class ShopifyRefusal extends Error {
  override readonly name = 'ShopifyRefusal';
}

/**
 * Shopify asked to be called later (HTTP 429 or a THROTTLED error): not a failure of the push, so it does not use up
 * an attempt. `retryAfterMs` is how long until Shopify's bucket holds enough for the request again.
 */
export class ShopifyThrottled extends Error {
  override readonly name = 'ShopifyThrottled';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/**
 * The GID of a Shopify object from the reference sopdesk keeps (`orders.external_ref`, `order_lines.external_ref`):
 * a GID as it is, or Shopify's numeric id; anything else is not a Shopify reference (undefined).
 */
export function shopifyGid(kind: 'Order' | 'LineItem' | 'Refund', ref: string | null): string | undefined {
  if (!ref) return undefined;
  if (new RegExp(`^gid://shopify/${kind}/\\d+$`).test(ref)) return ref;
  return /^\d+$/.test(ref) ? `gid://shopify/${kind}/${ref}` : undefined;
}

/**
 * The note on a refund sopdesk creates in Shopify. It starts with `[sopdesk rfd_…]`, which Shopify's refund webhooks
 * carry back, so the inbound sync knows the refund as sopdesk's own even before the push recorded Shopify's id of it.
 */
export const refundNote = (refundId: string, reason: string) =>
  truncateText(`[sopdesk ${refundId}] ${reason}`.trim(), 255);

/** The sopdesk refund a Shopify refund's note names (see `refundNote`), if it names one. */
export const refundIdOfNote = (note: string | null | undefined): string | undefined =>
  /^\[sopdesk (rfd_[0-9a-z]{26})\]/.exec(note ?? '')?.[1];

/** The channel of orders placed in Shopify (their `externalRef` is the Shopify order id). */
export const SHOPIFY_CHANNEL = 'shopify';

/** A shipping address as Shopify's `MailingAddressInput` takes it (sopdesk keeps one `name`; Shopify splits it). */
export interface ShopifyMailingAddress {
  firstName?: string | undefined;
  lastName?: string | undefined;
  address1: string;
  address2?: string | undefined;
  city: string;
  provinceCode?: string | undefined;
  zip: string;
  countryCode: string;
}

/**
 * The changes an agent can make to an order in sopdesk that Shopify also holds. Two records of one order must not
 * disagree without a word, so each change of a Shopify order is either made in Shopify too (pushed through the
 * outbox, like cancels and refunds) or refused with the reason `managed_in_shopify`:
 *   shipping_address  pushed (`orderUpdate`), when the Shopify push connector is configured; refused otherwise
 *   items, payment_method, exchange, product_swap  refused: made in Shopify admin, whose webhooks bring them back
 */
export type ShopifyOrderChange = 'shipping_address' | 'items' | 'payment_method' | 'exchange' | 'product_swap';

const PUSHED_CHANGES: readonly ShopifyOrderChange[] = ['shipping_address'];

const CHANGE_NAMES: Record<ShopifyOrderChange, string> = {
  shipping_address: 'The shipping address',
  items: 'The items',
  payment_method: 'The payment method',
  exchange: 'An exchange',
  product_swap: 'A product swap',
};

export const MANAGED_IN_SHOPIFY_POLICY =
  'An order placed in Shopify is kept the same in Shopify and in sopdesk. sopdesk changes such an order only where it ' +
  'makes the same change in Shopify (its shipping address, when the Shopify connector is configured); make any other ' +
  "change in Shopify admin, and Shopify's webhooks bring it to sopdesk.";

/**
 * Whether sopdesk may make `change` to the order: always for orders of other channels; for a Shopify order only when
 * the change is pushed to Shopify and pushing is configured (`pushConfigured`). Throws `managed_in_shopify` otherwise.
 */
export function assertChangeableInSopdesk(
  order: { channel: string; number: number },
  change: ShopifyOrderChange,
  pushConfigured: boolean,
): void {
  if (order.channel !== SHOPIFY_CHANNEL) return;
  const pushed = PUSHED_CHANGES.includes(change);
  if (pushed && pushConfigured) return;
  const why = pushed
    ? 'sopdesk cannot make the same change in Shopify because the Shopify connector is not configured (SOPDESK_SHOPIFY_SHOP, SOPDESK_SHOPIFY_ACCESS_TOKEN)'
    : 'sopdesk cannot make this change in Shopify';
  throw notEligible(
    'managed_in_shopify',
    `${CHANGE_NAMES[change]} of order #${order.number} cannot be changed in sopdesk: it is a Shopify order and ${why}. Make the change in Shopify admin.`,
    MANAGED_IN_SHOPIFY_POLICY,
  );
}

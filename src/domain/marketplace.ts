/**
 * Marketplace orders (the Kogan procedure): the marketplace took the customer's money and is the one that gives it
 * back. sopdesk records a refund of such an order — stock, statuses, the timeline — and the marketplace carries it out:
 * through its API when its connector is configured (pushed through the outbox), or by a person in its seller portal
 * with the evidence the procedure asks for. What the customer is told names the marketplace, never a card of ours.
 */

/** The marketplaces sopdesk knows, by order channel: how to name them to a customer and to an agent. */
export const MARKETPLACES = {
  kogan: { name: 'Kogan', portal: 'the Kogan seller portal' },
} as const;
export type MarketplaceChannel = keyof typeof MARKETPLACES;

export function isMarketplaceChannel(channel: string): channel is MarketplaceChannel {
  return Object.hasOwn(MARKETPLACES, channel);
}

/** The marketplace of an order's channel, or undefined for the store's own channels (web, shopify, …). */
export function marketplaceOf(channel: string): (typeof MARKETPLACES)[MarketplaceChannel] | undefined {
  return isMarketplaceChannel(channel) ? MARKETPLACES[channel] : undefined;
}

export const MARKETPLACE_POLICY = {
  paid_through_marketplace:
    "A marketplace order was paid to the marketplace, which alone refunds it, to the payment the customer made there; sopdesk records the refund (stock, statuses, timeline) but cannot credit a store credit or gift card of the store's own for it.",
} as const;

/**
 * Who carries out a marketplace refund, for previews: through the connector (pushed by the outbox) or by a person in
 * the seller portal.
 */
export function marketplaceRefundSentence(
  channel: MarketplaceChannel,
  amountFormatted: string,
  connected: boolean,
): string {
  const m = MARKETPLACES[channel];
  return connected
    ? `${m.name} will refund ${amountFormatted} to the customer (${m.name} took the payment); sopdesk sends the refund to ${m.name} through its API.`
    : `${m.name} will refund ${amountFormatted} to the customer (${m.name} took the payment) once the refund is made in ${m.portal}.`;
}

/**
 * Who carries out the cancel of a marketplace order, for previews: the marketplace cancels it and gives the money back
 * (with a notice to the customer), told through the connector (pushed by the outbox) or by a person in the seller
 * portal. `refundFormatted` is null when the cancel refunds nothing.
 */
export function marketplaceCancelSentence(
  channel: MarketplaceChannel,
  refundFormatted: string | null,
  connected: boolean,
): string {
  const m = MARKETPLACES[channel];
  const what = refundFormatted
    ? `${m.name} will cancel the order and refund ${refundFormatted} to the customer (${m.name} took the payment), with a notice of the reason`
    : `${m.name} will cancel the order and send the customer a notice of the reason`;
  return connected
    ? `${what}; sopdesk sends the cancel to ${m.name} through its API.`
    : `${what}, once the order is canceled in ${m.portal}.`;
}

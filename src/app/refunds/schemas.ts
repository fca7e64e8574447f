/**
 * Input and output schemas of refund_order (and the refund part of cancel_order). Every field carries a
 * description written for a language model: they become the tool and OpenAPI documentation.
 */
import { z } from 'zod';
import { RECORDED_DESTINATIONS, REFUND_DESTINATIONS } from '../../domain/refund-rules.js';
import { itemRefOut } from '../outputs.js';

export {
  RECORDED_DESTINATIONS,
  type RefundDestination,
  type RefundDestinationChoice,
} from '../../domain/refund-rules.js';

export const minor = (what: string) =>
  z.number().int().nonnegative().describe(`${what}, in integer minor units (cents): 1250 = $12.50`);

export const OrderRef = z
  .string()
  .min(1)
  .max(100)
  .describe(
    'The order: its id (ord_…), its number as the customer quotes it (e.g. "#1001"), or the reference of the channel it came from (e.g. "ESG-58231467"). A reference two orders share is refused (ambiguous_order_ref) naming both: then give the id.',
  );

export const ItemQuantity = z.object({
  itemId: z
    .string()
    .min(1)
    .max(64)
    .describe('An item (order line) of this order: its id, li_… (see get_order_details).'),
  quantity: z.number().int().positive().max(10_000).describe('How many units of this item.'),
});

export const DestinationFields = {
  destination: z
    .enum(REFUND_DESTINATIONS)
    .optional()
    .describe(
      "Where the money goes: original_payment (default: back to the payment method(s) the order was paid with), store_credit (the customer's store credit; created if they have none) or gift_card (a gift card the customer holds). Use store_credit or gift_card only when the customer asks for it.",
    ),
  paymentMethodId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "For gift_card or store_credit: which of the customer's gift cards / store credits (pm_…); default: the first one in the order's currency.",
    ),
};

export const RefundOrderInput = z.object({
  orderId: OrderRef,
  items: z
    .array(ItemQuantity)
    .max(200)
    .optional()
    .describe(
      'Items and quantities to refund, each unit at what the customer paid for it. Only items not delivered, or with a no-return policy, can be refunded this way; delivered returnable items are refunded through their return (give returnId instead).',
    ),
  shippingAmount: minor(
    'Shipping to refund as well, at most the shipping fee charged less shipping already refunded',
  ).optional(),
  returnId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "Refund a received return (ret_… or its tracking id RT-…): refunds the cost of the return's items — never shipping — and closes the return. Do not give items or shippingAmount with it.",
    ),
  amount: minor(
    "Refund less than the items' value (plus shipping), when agreed with the customer; default: the full value",
  ).optional(),
  reason: z
    .string()
    .min(3)
    .max(500)
    .describe("Why the refund is made, in a short sentence: it is kept on the refund and the customer's timeline."),
  ...DestinationFields,
  note: z.string().max(2000).optional().describe('Internal note for other agents.'),
});
export type RefundOrderInput = z.input<typeof RefundOrderInput>;

export const ResultingStatus = z.object({
  order: z.string().describe('open | archived | canceled'),
  orderLabel: z.string().describe('Order status as shown to people: Open, Archived, Canceled'),
  financial: z
    .string()
    .describe('paid | pending | partially_paid | partially_refunded | refunded | voided | authorized | expired'),
  financialLabel: z.string().describe('Financial status as shown to people, e.g. "Partially refunded", "Voided"'),
  fulfillment: z.string().describe('fulfilled | partially_fulfilled | unfulfilled'),
  fulfillmentLabel: z.string().describe('Fulfillment status as shown to people'),
  captured: z.number().int().describe('Minor units captured'),
  refunded: z.number().int().describe('Minor units refunded'),
  refundable: z.number().int().describe('Minor units that may still be refunded (captured − refunded)'),
});
export type ResultingStatus = z.infer<typeof ResultingStatus>;

/** On a marketplace order: the marketplace that carries out a refund or cancel, and how it is told. */
export const MarketplaceOut = z.object({
  channel: z.string().describe('The order channel, e.g. kogan'),
  name: z.string().describe('The marketplace as people name it, e.g. Kogan'),
  via: z
    .enum(['api', 'seller_portal'])
    .describe(
      "How the marketplace is told: api = pushed through its connector by the outbox; seller_portal = a person does it in the marketplace's seller portal",
    ),
});

export const RefundTarget = z.object({
  paymentMethodId: z
    .string()
    .nullable()
    .describe(
      'The payment method credited (pm_…); null for a store credit created by this refund, or a payment of unknown method',
    ),
  label: z.string().describe('How to name it to the customer, e.g. "Visa •••• 4242", "Store credit"'),
  kind: z.string().describe('card | paypal | gift_card | store_credit | marketplace | unknown'),
  amount: z.number().int().describe('Minor units going to it'),
  balanceAfter: z
    .number()
    .int()
    .nullable()
    .describe('For gift cards and store credit: the balance after the refund; null otherwise'),
});
export type RefundTarget = z.infer<typeof RefundTarget>;

export const RefundPreview = z.object({
  orderId: z.string().describe('ord_…'),
  orderName: z.string().describe('"#1001"'),
  currency: z.string().describe('ISO-4217 currency of every amount'),
  amount: z.number().int().describe('Total refunded, minor units'),
  amountFormatted: z.string().describe('The total for people, e.g. "$54.00"'),
  itemsAmount: z.number().int().describe('Minor units of the total that is for items'),
  shippingAmount: z.number().int().describe('Minor units of the total that is shipping'),
  destination: z
    .enum(RECORDED_DESTINATIONS)
    .describe(
      'Where the money goes: original_payment, store_credit or gift_card; marketplace on a marketplace order (channel kogan): the marketplace took the payment and refunds it',
    ),
  items: z
    .array(
      z.object({
        ...itemRefOut,
        quantity: z.number().int().describe('Units refunded'),
        amount: z.number().int().describe('Minor units refunded for these units'),
      }),
    )
    .describe('Units refunded, per item'),
  to: z.array(RefundTarget).describe('Where the money goes'),
  marketplace: MarketplaceOut.nullable().describe(
    'On a marketplace order: the marketplace that refunds the money, and how it is told; null otherwise',
  ),
  returnId: z.string().nullable().describe('The return this refund closes, if any'),
  revokedCodes: z
    .array(z.string())
    .describe(
      'Access codes of refunded digital access units, revoked with the refund: a refunded unit gives no access',
    ),
  resultingStatus: ResultingStatus.describe("The order's statuses after the refund"),
  summary: z.string().describe('One sentence to confirm with the customer before refunding'),
});
export type RefundPreview = z.infer<typeof RefundPreview>;

export const RefundResult = z.object({
  refundId: z.string().describe('rfd_…'),
  status: ResultingStatus.describe("The order's statuses after the refund, read back"),
});
export type RefundResult = z.infer<typeof RefundResult>;

import { z } from 'zod';
import { CANCEL_REASONS } from '../../domain/cancel-rules.js';
import { currencyOut, formattedOut, itemRefOut, RestockOut } from '../outputs.js';
import {
  DestinationFields,
  MarketplaceOut,
  minor,
  OrderRef,
  RECORDED_DESTINATIONS,
  RefundTarget,
  ResultingStatus,
} from '../refunds/schemas.js';

export const CancelOrderInput = z.object({
  orderId: OrderRef,
  reason: z
    .enum(CANCEL_REASONS)
    .describe(
      'Why the order is canceled: customer (the customer asked), inventory (out of stock), fraud (suspected fraud), declined (payment declined), staff (staff error), other.',
    ),
  amount: minor(
    'For a paid order: how much to refund with the cancel. Default: everything captured and not yet refunded, shipping included when nothing has shipped. 0 cancels without refunding. Not allowed for an unpaid order',
  ).optional(),
  ...DestinationFields,
  note: z.string().max(2000).optional().describe('Internal note for other agents.'),
});
export type CancelOrderInput = z.input<typeof CancelOrderInput>;

/** The Shopify order rules' cancellation summary: shown to the agent (and read to the customer) before confirming. */
export const CancelPreview = z.object({
  orderId: z.string().describe('ord_…'),
  orderName: z.string().describe('"#1001"'),
  reason: z.enum(CANCEL_REASONS).describe('Why the order is canceled'),
  currency: currencyOut,
  items: z
    .array(
      z.object({
        ...itemRefOut,
        quantity: z.number().int().describe('Units canceled (the whole line: there is no partial cancel)'),
        restockQuantity: z.number().int().describe('Units put back in stock (those not shipped)'),
      }),
    )
    .describe('Every item of the order, all canceled'),
  refund: z
    .object({
      amount: z.number().int().describe('Minor units refunded'),
      amountFormatted: formattedOut('The refund'),
      shippingAmount: z.number().int().describe('Minor units of it that is the shipping fee'),
      destination: z
        .enum(RECORDED_DESTINATIONS)
        .describe(
          'Where the money goes: original_payment, store_credit or gift_card; marketplace on a marketplace order (the marketplace refunds it)',
        ),
      to: z.array(RefundTarget).describe('Which payment method(s) get the money'),
    })
    .nullable()
    .describe('The refund made with the cancel; null when nothing is refunded (unpaid order, or amount 0)'),
  marketplace: MarketplaceOut.nullable().describe(
    'On a marketplace order: the marketplace that cancels it (and refunds the money), and how it is told: through its API or by a person in its seller portal; null otherwise',
  ),
  voidedAmount: z.number().int().describe('Minor units of open payment authorizations voided'),
  restock: z.array(RestockOut).describe('Stock put back, per variant'),
  resultingStatus: ResultingStatus.describe("The order's statuses after the cancel"),
  summary: z.string().describe('The cancellation summary in sentences, to confirm with the customer before canceling'),
});
export type CancelPreview = z.infer<typeof CancelPreview>;

export const CancelResult = z.object({
  refundId: z.string().nullable().describe('rfd_… of the refund made, or null'),
  canceledAt: z.string().describe('ISO-8601 time of the cancel'),
  status: ResultingStatus.describe("The order's statuses read back after the cancel"),
});
export type CancelResult = z.infer<typeof CancelResult>;

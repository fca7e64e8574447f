/** Input and output schemas of the return tools. Descriptions are written for a language model. */
import { z } from 'zod';
import { RETURN_REASONS } from '../../domain/return-rules.js';
import { RETURN_STATUSES } from '../../domain/return-status.js';
import { ItemQuantity, OrderRef } from '../refunds/schemas.js';
import {
  currencyOut,
  customerIdOut,
  formattedOut,
  isoTimeOut,
  itemRefOut,
  minorUnits,
  orderIdOut,
  orderNameOut,
  RestockOut,
  summaryOut,
} from '../outputs.js';

export const ReturnRef = z
  .string()
  .min(1)
  .max(64)
  .describe('The return: its id (ret_…) or the tracking id the customer was given (RT-…).');

export const CheckReturnEligibilityInput = z.object({
  orderId: OrderRef,
  items: z
    .array(
      z.object({
        itemId: z.string().min(1).max(64).describe('An item (order line) of this order, li_…'),
        quantity: z
          .number()
          .int()
          .positive()
          .max(10_000)
          .optional()
          .describe('Units the customer wants to return; default 1'),
      }),
    )
    .max(200)
    .optional()
    .describe('The items to check; default: every item of the order'),
});
export type CheckReturnEligibilityInput = z.input<typeof CheckReturnEligibilityInput>;

/** One return window, as check_return_eligibility and get_item_details both report it. */
export const ReturnWindowOut = z.object({
  days: z.number().int().describe('Return window in days, counted from when the order was placed'),
  source: z.string().describe('Which rule set the window: product, category, channel, store or default'),
  deadline: z.string().describe('ISO-8601 end of the window: a return may start until then'),
  open: z.boolean().describe('True while the window is still open'),
});

export const ItemEligibility = z.object({
  ...itemRefOut,
  eligible: z.boolean().describe('True when the requested quantity can be returned now'),
  returnableQuantity: z.number().int().describe('Units that can be returned now'),
  deliveredQuantity: z.number().int().describe('Units delivered'),
  window: ReturnWindowOut.describe('The return window of this item'),
  reason: z
    .string()
    .optional()
    .describe(
      'When not eligible, the rule: order_canceled, not_returnable, return_window_expired, not_delivered, exceeds_returnable_quantity',
    ),
  message: z.string().optional().describe('When not eligible, what to tell the customer'),
  policy: z.string().optional().describe('When not eligible, the sentence of policy that applies'),
});

export const EligibilityResult = z.object({
  orderId: orderIdOut,
  orderName: orderNameOut,
  placedAt: z.string().describe('When the order was placed: the return window starts here'),
  items: z.array(ItemEligibility).describe('One answer per item checked'),
});
export type EligibilityResult = z.infer<typeof EligibilityResult>;

export const InitiateReturnInput = z.object({
  orderId: OrderRef,
  items: z
    .array(ItemQuantity)
    .min(1)
    .max(200)
    .describe('The items to return and how many units of each; check_return_eligibility first.'),
  reason: z
    .enum(RETURN_REASONS)
    .describe('Why the customer returns them: DAMAGED, DEFECTIVE, WRONG_ITEM, ORDERED_BY_MISTAKE or OTHER.'),
  note: z.string().max(2000).optional().describe('What the customer said, for the team handling the return.'),
});
export type InitiateReturnInput = z.input<typeof InitiateReturnInput>;

const ReturnItemView = z.object({
  ...itemRefOut,
  quantity: z.number().int().describe('Units returned'),
  itemCost: z
    .number()
    .int()
    .describe('Minor units refunded for these units once the return is received (shipping is never refunded)'),
});

export const InitiateReturnPreview = z.object({
  orderId: orderIdOut,
  orderName: orderNameOut,
  reason: z.enum(RETURN_REASONS).describe('Why the customer returns the items'),
  currency: currencyOut,
  items: z.array(ReturnItemView).describe('The units to return, per item'),
  estimatedRefund: z
    .number()
    .int()
    .describe("Minor units: the items' cost, refunded after the return is received. Shipping fees are not refunded."),
  estimatedRefundFormatted: formattedOut('The estimated refund'),
  disclosures: z.array(z.string()).describe('Tell the customer every one of these sentences'),
  summary: summaryOut,
});
export type InitiateReturnPreview = z.infer<typeof InitiateReturnPreview>;

export const ReturnView = z.object({
  id: z.string().describe('ret_…'),
  trackingId: z.string().describe('The return tracking id to give the customer, RT-…'),
  orderId: orderIdOut,
  orderName: orderNameOut,
  customerId: customerIdOut,
  status: z
    .enum(RETURN_STATUSES)
    .describe('requested → approved → picked_up → received → refunded; or declined / canceled'),
  statusLabel: z.string().describe('Status as shown to people, e.g. "Picked up"'),
  reason: z.enum(RETURN_REASONS).describe('Why the customer returns the items'),
  note: z.string().nullable().describe('What the customer said, for the team handling the return'),
  currency: currencyOut,
  items: z.array(ReturnItemView).describe('The units returned, per item'),
  itemCost: z
    .number()
    .int()
    .describe("Minor units: what the refund of this return is (the items' cost; shipping is not refunded)"),
  itemCostFormatted: formattedOut('The item cost'),
  refundAmount: z
    .number()
    .int()
    .describe(
      "Minor units: what refunding this return refunds (refund_order with its returnId) — the items' cost, plus on a Kogan order what is left of shipping when its items are the order's last ones not refunded (Kogan refunds shipping with the last lines); once refunded, the amount refunded",
    ),
  refundAmountFormatted: formattedOut('What refunding this return refunds'),
  refund: z
    .object({
      refundId: z.string().describe('Refund id (rfd_…)'),
      amount: minorUnits('Amount refunded'),
      refundedAt: isoTimeOut('When it was refunded'),
    })
    .nullable()
    .describe('The refund that closed the return, if any'),
  requestedAt: isoTimeOut('When the return was requested'),
  approvedAt: isoTimeOut('When it was approved').nullable(),
  pickedUpAt: isoTimeOut('When the carrier picked it up').nullable(),
  receivedAt: isoTimeOut('When it arrived at the returns centre').nullable(),
  refundedAt: isoTimeOut('When it was refunded').nullable(),
  declinedAt: isoTimeOut('When it was declined').nullable(),
  canceledAt: isoTimeOut('When it was canceled').nullable(),
  closeReason: z.string().nullable().describe('Why it was declined or canceled'),
  carrier: z.string().nullable().describe('Carrier of the return shipment'),
  trackingNumber: z.string().nullable().describe('Carrier tracking number of the return shipment'),
  nextSteps: z.array(z.string()).describe('Statuses it can move to next'),
  disclosures: z.array(z.string()).describe('What the customer must be told about this return'),
});
export type ReturnView = z.infer<typeof ReturnView>;

export const ReturnIdInput = z.object({ returnId: ReturnRef });
export type ReturnIdInput = z.input<typeof ReturnIdInput>;

export const DeclineReturnInput = z.object({
  returnId: ReturnRef,
  reason: z.string().min(3).max(500).describe('Why the store declines the return; tell the customer.'),
});
export type DeclineReturnInput = z.input<typeof DeclineReturnInput>;

export const CancelReturnInput = z.object({
  returnId: ReturnRef,
  reason: z.string().min(3).max(500).optional().describe('Why it is canceled, e.g. "customer changed their mind".'),
});
export type CancelReturnInput = z.input<typeof CancelReturnInput>;

export const MarkReturnPickedUpInput = z.object({
  returnId: ReturnRef,
  carrier: z.string().min(1).max(100).optional().describe('Carrier that picked the items up'),
  trackingNumber: z.string().min(1).max(100).optional().describe('Carrier tracking number of the return shipment'),
});
export type MarkReturnPickedUpInput = z.input<typeof MarkReturnPickedUpInput>;

export const ReceiveReturnInput = z.object({
  returnId: ReturnRef,
  restock: z
    .boolean()
    .optional()
    .describe('Put the received units back in stock (default true); false for items that cannot be resold.'),
});
export type ReceiveReturnInput = z.input<typeof ReceiveReturnInput>;

export const ReturnStepPreview = z.object({
  returnId: z.string().describe('Return id (ret_…)'),
  trackingId: z.string().describe('The return tracking id the customer has, RT-…'),
  from: z.enum(RETURN_STATUSES).describe('Status before this step'),
  to: z.enum(RETURN_STATUSES).describe('Status after this step'),
  restock: z.array(RestockOut).describe('Stock put back (receive_return only)'),
  summary: summaryOut,
});
export type ReturnStepPreview = z.infer<typeof ReturnStepPreview>;

export const POLICY_SCOPES = ['category', 'channel', 'store'] as const;
export const SetReturnPolicyInput = z.object({
  scope: z
    .enum(POLICY_SCOPES)
    .describe('category (products of a category), channel (orders of a channel such as kogan), or store (the default)'),
  key: z.string().min(1).max(100).optional().describe('The category or channel name; leave out for store'),
  windowDays: z
    .number()
    .int()
    .positive()
    .max(3650)
    .nullable()
    .describe('Return window in days from order placement; null removes the rule'),
});
export type SetReturnPolicyInput = z.input<typeof SetReturnPolicyInput>;

/**
 * Order-change tools: exchanges of delivered items, changes to orders that have not shipped, and the
 * customer's default address. Every rule is enforced by the use case; a refusal comes back with a
 * reason code and the policy sentence.
 */
import { z } from 'zod';
import { exchangeItems } from '../app/order-changes/exchange-items.js';
import { setExchangeStatus } from '../app/order-changes/set-exchange-status.js';
import { modifyPendingOrderAddress } from '../app/order-changes/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../app/order-changes/modify-pending-order-items.js';
import { modifyPendingOrderPayment } from '../app/order-changes/modify-pending-order-payment.js';
import { updateCustomerAddress } from '../app/customers/update-customer-address.js';
import {
  ExchangeItemsInput,
  ModifyPendingOrderAddressInput,
  ModifyPendingOrderItemsInput,
  ModifyPendingOrderPaymentInput,
  SetExchangeStatusInput,
  UpdateCustomerAddressInput,
} from '../app/order-changes/schemas.js';
import { POLICY_NO_PAYMENT, POLICY_SAME } from '../app/order-changes/modify-pending-order-payment.js';
import { POLICY } from '../domain/order-changes.js';
import { actionOptions, defineTool, DESTRUCTIVE, WRITE, type ToolDefinition } from './define.js';
import { EXCHANGE_POLICY } from '../domain/exchanges.js';
import { managedInShopify, noCustomer, refusal, refusalsOf } from './refusals.js';

// The refusals the order-change rules (src/domain/order-changes.ts) give, shared by the tools below.
const canceled = refusal('order_canceled', 'the order is canceled', POLICY.orderCanceled);
const shipped = refusal(
  'order_shipped',
  'a package other than a failed one exists, or anything is delivered',
  POLICY.orderShipped,
);
const sameVariant = refusal(
  'same_variant',
  'no item listed would change: each already is the variant asked for, none a replacement',
  POLICY.sameVariant,
);
const notSameProduct = refusal('not_same_product', 'the new variant is of another product', POLICY.notSameProduct);
const unavailable = refusal(
  'variant_unavailable',
  'the new variant is not available or not in stock',
  POLICY.variantUnavailable,
);
const notOwned = refusal(
  'payment_method_not_owned',
  'the payment method is not one of the customer who placed the order',
  POLICY.paymentMethodNotOwned,
);
const insufficient = refusal(
  'insufficient_balance',
  'the gift card or store credit does not cover the charge',
  POLICY.insufficientBalance,
);
const currency = (also = '') =>
  refusal('currency_mismatch', `the gift card or store credit is in another currency${also}`, POLICY.currencyMismatch);
const exceedsRefundable = refusal(
  'exceeds_refundable_amount',
  'the refund of a cheaper variant is more than captured − refunded',
  POLICY.exceedsRefundable,
);
import { asIs, customerOut, presentAction, withAddressesOut, withOrderOut } from './present.js';
import {
  actionOutput,
  currencyOut,
  CustomerOut,
  customerIdOut,
  dryRunArg,
  itemIdOut,
  minorUnits,
  orderIdOut,
  summaryOut,
} from './schemas.js';
import {
  addressChangeOut,
  LineSide,
  OrderResultOut,
  orderRefOut,
  paymentMethodIdOut,
  SettlementOut,
  settledDifferenceOut,
  settledRefundOf,
} from './change-outputs.js';

const ExchangeOut = z.object({
  id: z.string().describe('Exchange id (exc_…)'),
  orderId: orderIdOut,
  customerId: customerIdOut,
  status: z
    .enum(['requested', 'completed', 'canceled'])
    .describe(
      'requested: the replacement is still to be handed over; completed: it was; canceled: called off and the difference reversed',
    ),
  reason: z.string().nullable().describe('Why the customer wanted the exchange; null when not given'),
  priceDifference: minorUnits('Total difference: > 0 charged, < 0 refunded'),
  currency: currencyOut,
  paymentMethodId: paymentMethodIdOut.describe(
    'Payment method (pm_…) the difference was charged to or refunded on; null when the prices were equal',
  ),
  transactionId: z
    .string()
    .nullable()
    .describe('The sale or refund (txn_…) that settled the difference; null when nothing moved'),
  createdAt: z.string().describe('When the exchange was requested, ISO-8601'),
  updatedAt: z.string().describe('When its status last changed, ISO-8601'),
  items: z
    .array(
      z.object({
        itemId: itemIdOut,
        quantity: z.number().int().describe('Units exchanged'),
        fromVariantId: z
          .string()
          .nullable()
          .describe('Variant id (var_…) given back; null when no longer in the catalogue'),
        fromSku: z.string().describe('SKU given back'),
        toVariantId: z.string().describe('Variant id (var_…) the customer receives'),
        toSku: z.string().describe('SKU the customer receives'),
        fromUnitPrice: minorUnits('Old unit price'),
        toUnitPrice: minorUnits('New unit price'),
      }),
    )
    .describe('What is exchanged, per item'),
});

/** Items listed with the variant they already are: left as they are (the call is refused only when nothing would change). */
const UnchangedOut = z
  .array(
    z.object({
      itemId: itemIdOut,
      sku: z.string().describe('The SKU the item is and stays'),
      title: z.string().describe('Product and variant title'),
      quantity: z.number().int().describe('Units listed'),
    }),
  )
  .describe('Items listed with the variant they already are: they stay as they are; nothing moves for them');

const exchangeTool = defineTool({
  name: 'exchange_items',
  title: 'Exchange delivered items',
  description:
    'Exchange delivered items of an order for another available variant of the same product (e.g. another size or colour), ' +
    'or replace a damaged or defective item with the same variant (replacementReason DAMAGED or DEFECTIVE, newSku = its own SKU; no price difference). ' +
    'The price difference is charged to (dearer) or refunded on (cheaper) a payment method the customer owns; a gift card must cover a charge. ' +
    'An exchange follows the return rules: returnable items only, within their return window, only delivered units, never more than delivered minus units returned or in a return request, units already in an exchange and units refunded without a return. ' +
    'An item listed with the variant it already is (not a replacement) stays as it is and the preview lists it under unchanged; when nothing would change the call is refused (same_variant). ' +
    'To switch to a different product use swap_purchased_product; for an order that has not shipped use modify_pending_order_items. ' +
    'Preview with dryRun, confirm the items and the amount with the customer, then call again.',
  refusals: [
    canceled,
    ...refusalsOf(EXCHANGE_POLICY, {
      not_returnable: 'an item has a no-return policy',
      return_window_expired: "an item's return window has ended",
    }),
    refusal('not_delivered', 'an item is not delivered yet', POLICY.notDelivered),
    refusal(
      'exceeds_exchangeable_quantity',
      'more units than delivered − returned or requested − exchanged − refunded',
      POLICY.exceedsExchangeable,
    ),
    sameVariant,
    notSameProduct,
    currency(', or the new variant is priced in another currency than the order'),
    unavailable,
    notOwned,
    insufficient,
    exceedsRefundable,
    managedInShopify(),
    noCustomer(),
  ],
  input: ExchangeItemsInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      ...orderRefOut,
      items: z
        .array(
          z.object({
            itemId: itemIdOut,
            quantity: z.number().int().describe('Units exchanged'),
            from: LineSide.describe('The variant given back'),
            to: LineSide.extend({
              variantId: z.string().describe('Variant id (var_…) the customer receives'),
            }).describe('The variant the customer receives'),
            kind: z
              .enum(['change', 'replacement'])
              .describe(
                'change: another variant; replacement: the same variant again, for a damaged or defective unit',
              ),
            difference: minorUnits('(to − from) × quantity; 0 for a replacement'),
          }),
        )
        .describe('What is exchanged or replaced, per item'),
      unchanged: UnchangedOut,
      replacementReason: z
        .enum(['DAMAGED', 'DEFECTIVE'])
        .nullable()
        .describe('Why the items are replaced; null for an exchange that is not a replacement'),
      ...settledDifferenceOut('Total difference: > 0 charged, < 0 refunded'),
    }),
    OrderResultOut.extend({ exchange: ExchangeOut.describe('The exchange, status requested') }),
  ),
  hints: DESTRUCTIVE,
  refundOf: settledRefundOf,
  run: async ({ dryRun, ...input }, call) =>
    presentAction(await exchangeItems(call.ctx, input, actionOptions(call, dryRun)), asIs, withOrderOut),
});

const addressTool = defineTool({
  name: 'modify_pending_order_address',
  title: 'Change the shipping address of an unshipped order',
  description:
    'Change the shipping address of an order that has not shipped yet (no package other than failed ones, nothing delivered, not canceled). ' +
    'The address is validated (postal code format for the country). The street, city, region, postal code and country are replaced as given ' +
    '(a part left out is gone); the recipient name is kept unless a new one is given. Confirm the full new address with the customer first.',
  refusals: [canceled, shipped, managedInShopify('a Shopify order while the Shopify connector is not configured')],
  input: ModifyPendingOrderAddressInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      ...orderRefOut,
      ...addressChangeOut('shipping address'),
      sentToShopify: z
        .boolean()
        .describe('True for a Shopify order: the new address is also sent to Shopify (after the change commits)'),
      summary: summaryOut,
    }),
    OrderResultOut,
  ),
  hints: WRITE,
  run: async ({ dryRun, ...input }, call) =>
    presentAction(
      await modifyPendingOrderAddress(call.ctx, input, actionOptions(call, dryRun)),
      withAddressesOut,
      withOrderOut,
    ),
});

const itemsTool = defineTool({
  name: 'modify_pending_order_items',
  title: 'Change items of an unshipped order',
  description:
    'Change items of an order that has not shipped to other available variants of the same product (each whole line changes). ' +
    'On a paid order the price difference is charged to or refunded on paymentMethodId (a gift card must cover a charge); ' +
    'on an unpaid order the amount due changes instead. Call once with every item to change; an item listed with the variant it already is stays as it is (listed under unchanged), ' +
    'and the call is refused (same_variant) only when nothing would change. Preview with dryRun and confirm first.',
  refusals: [
    canceled,
    shipped,
    sameVariant,
    notSameProduct,
    currency(', or the new variant is priced in another currency than the order'),
    unavailable,
    refusal(
      'discount_exceeds_price',
      "the line's discount is more than the new variant costs",
      POLICY.discountExceedsPrice,
    ),
    notOwned,
    insufficient,
    exceedsRefundable,
    managedInShopify(),
  ],
  input: ModifyPendingOrderItemsInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      ...orderRefOut,
      changes: z
        .array(
          z.object({
            itemId: itemIdOut,
            quantity: z.number().int().describe('Units on the line (the whole line changes)'),
            before: LineSide.describe('The variant the line had'),
            after: LineSide.describe('The variant the line gets'),
            difference: minorUnits('Difference of this line: (after − before) × quantity'),
          }),
        )
        .describe('Every line that changes'),
      unchanged: UnchangedOut,
      ...settledDifferenceOut('Total difference: > 0 the order costs more, < 0 less'),
    }),
    OrderResultOut,
  ),
  hints: DESTRUCTIVE,
  refundOf: settledRefundOf,
  run: async ({ dryRun, ...input }, call) =>
    presentAction(await modifyPendingOrderItems(call.ctx, input, actionOptions(call, dryRun)), asIs, withOrderOut),
});

const MethodRef = z.object({
  paymentMethodId: paymentMethodIdOut.describe('Payment method id (pm_…); null when the transaction names none'),
  label: z.string().describe('How people see it, e.g. "Visa •••• 4242"'),
  kind: z.string().nullable().describe('card, paypal, gift_card or store_credit; null when unknown'),
});

const paymentTool = defineTool({
  name: 'modify_pending_order_payment',
  title: 'Move the payment of an unshipped order to another payment method',
  description:
    "Move the payment of an order that has not shipped to another of the customer's payment methods. " +
    'An open authorization is voided and the amount authorized on the new method; captured money is refunded to the old method and charged on the new one. ' +
    'A gift card must cover the whole amount. Preview with dryRun: the steps list says exactly what will happen.',
  refusals: [
    canceled,
    shipped,
    notOwned,
    refusal('no_payment_to_move', 'no open authorization and nothing captured', POLICY_NO_PAYMENT),
    refusal('same_payment_method', 'the order is already paid with that method', POLICY_SAME),
    currency(),
    insufficient,
    managedInShopify(),
  ],
  input: ModifyPendingOrderPaymentInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      ...orderRefOut,
      currency: currencyOut,
      authorizations: z
        .array(
          MethodRef.extend({
            transactionId: z.string().describe('The authorization (txn_…) that is voided'),
            amount: minorUnits('Authorized amount'),
          }),
        )
        .describe('Open authorizations, voided and authorized again on the new method'),
      captured: z
        .array(
          MethodRef.extend({
            transactionId: z.string().describe('The capture or sale (txn_…) the money is refunded from'),
            amount: minorUnits('Captured minus refunded on that capture'),
          }),
        )
        .describe('Captured money per capture on an old method, refunded there and charged on the new method'),
      to: MethodRef.extend({
        paymentMethodId: z.string().describe('The new payment method (pm_…)'),
        balanceAfter: minorUnits('Balance after the move')
          .nullable()
          .describe(
            'Gift card / store credit balance after the move, in integer minor units; null for cards and PayPal',
          ),
      }).describe('The payment method the payment moves to'),
      authorizedMoved: minorUnits('Authorized amount moved'),
      capturedMoved: minorUnits('Captured amount moved'),
      steps: z.array(z.string()).describe('What will happen, step by step, for the customer to confirm'),
      summary: summaryOut,
    }),
    OrderResultOut,
  ),
  hints: DESTRUCTIVE,
  run: async ({ dryRun, ...input }, call) =>
    presentAction(await modifyPendingOrderPayment(call.ctx, input, actionOptions(call, dryRun)), asIs, withOrderOut),
});

const customerAddressTool = defineTool({
  name: 'update_customer_address',
  title: "Update the customer's default address",
  description:
    "Replace the customer's default address (used for future orders). Orders already placed keep their shipping address: " +
    'use modify_pending_order_address for those. The address is validated.',
  input: UpdateCustomerAddressInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      customerId: customerIdOut,
      addressId: z
        .string()
        .nullable()
        .describe('The default address (adr_…) that is replaced; null when the customer had none and one is added'),
      ...addressChangeOut('default address'),
      summary: summaryOut,
    }),
    z.object({ customer: CustomerOut.describe('The customer after the change, as get_customer_details shows it') }),
  ),
  hints: WRITE,
  run: async ({ dryRun, ...input }, call) =>
    presentAction(await updateCustomerAddress(call.ctx, input, actionOptions(call, dryRun)), withAddressesOut, (r) => ({
      customer: customerOut(r.customer),
    })),
});

const exchangeStatusTool = defineTool({
  name: 'set_exchange_status',
  title: 'Complete or cancel an exchange',
  description:
    'Moves a requested exchange on: completed once the replacement was handed over, or canceled when it is called off — ' +
    'a cancel reverses the price difference on the same payment method and puts the replacement units back in stock. ' +
    'A completed or canceled exchange does not move again (conflict). Preview with dryRun, then call again.',
  rest: {
    method: 'post',
    path: '/exchanges/{id}/status',
    params: { id: 'exchangeId' },
    tag: 'orders',
    operationId: 'setExchangeStatusById',
    summary: 'Complete or cancel a requested exchange (as set_exchange_status); dryRun previews',
  },
  input: SetExchangeStatusInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(
    z.object({
      exchangeId: z.string().describe('Exchange id (exc_…)'),
      from: z.enum(['requested', 'completed', 'canceled']).describe('Status before'),
      to: z.enum(['completed', 'canceled']).describe('Status after'),
      reversal: SettlementOut.describe('On cancel: the price difference reversed; kind none otherwise'),
    }),
    z.object({ exchange: ExchangeOut.describe('The exchange after the change') }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => setExchangeStatus(call.ctx, input, actionOptions(call, dryRun)),
});

export const orderChangeTools: ToolDefinition[] = [
  exchangeTool,
  exchangeStatusTool,
  addressTool,
  itemsTool,
  paymentTool,
  customerAddressTool,
];

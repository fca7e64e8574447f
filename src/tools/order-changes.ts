/**
 * Order-change tools: exchanges of delivered items, changes to orders that have not shipped, and the
 * customer's default address. Every rule is enforced by the use case; a refusal comes back with a
 * reason code and the policy sentence.
 */
import { z } from 'zod';
import { exchangeItems } from '../app/order-changes/exchange-items.js';
import { modifyPendingOrderAddress } from '../app/order-changes/modify-pending-order-address.js';
import { modifyPendingOrderItems } from '../app/order-changes/modify-pending-order-items.js';
import { modifyPendingOrderPayment } from '../app/order-changes/modify-pending-order-payment.js';
import { updateCustomerAddress } from '../app/customers/update-customer-address.js';
import {
  ExchangeItemsInput, ModifyPendingOrderAddressInput, ModifyPendingOrderItemsInput, ModifyPendingOrderPaymentInput, UpdateCustomerAddressInput,
} from '../app/order-changes/schemas.js';
import { defineTool, DESTRUCTIVE, WRITE, type ToolCall, type ToolDefinition } from './define.js';
import { actionOutput, AddressOut, CustomerOut, DryRun, LineSide, Money, OrderViewOut, SettlementOut } from './change-outputs.js';

const opts = (call: ToolCall, dryRun: boolean) => ({ actor: call.actor, idempotencyKey: call.idempotencyKey, dryRun });

const exchangeTool = defineTool({
  name: 'exchange_items',
  title: 'Exchange delivered items',
  description:
    'Exchange delivered items of an order for another available variant of the same product (e.g. another size or colour). '
    + 'The price difference is charged to (dearer) or refunded on (cheaper) a payment method the customer owns; a gift card must cover a charge. '
    + 'Only delivered units, never more than delivered minus units already in an exchange. To switch to a different product use swap_purchased_product; '
    + 'for an order that has not shipped use modify_pending_order_items. Preview with dryRun, confirm the items and the amount with the customer, then call again.',
  input: ExchangeItemsInput.extend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({
      orderId: z.string(), orderName: z.string(),
      items: z.array(z.object({ itemId: z.string(), quantity: z.number().int(), from: LineSide, to: LineSide, difference: Money('(to − from) × quantity') })),
      priceDifference: Money('Total difference: > 0 charged, < 0 refunded'),
      currency: z.string(), settlement: SettlementOut, summary: z.string().describe('One sentence to read to the customer'),
    }),
    z.object({
      exchange: z.object({
        id: z.string().describe('Exchange id (exc_…)'), orderId: z.string(), customerId: z.string(),
        status: z.enum(['requested', 'completed', 'canceled']), reason: z.string().nullable(),
        priceDifference: Money('> 0 charged, < 0 refunded'), currency: z.string(), paymentMethodId: z.string().nullable(),
        transactionId: z.string().nullable().describe('The sale or refund that settled the difference'),
        createdAt: z.string(), updatedAt: z.string(),
        items: z.array(z.object({
          itemId: z.string(), quantity: z.number().int(), fromVariantId: z.string().nullable(), fromSku: z.string(),
          toVariantId: z.string(), toSku: z.string(), fromUnitPrice: Money('Old unit price'), toUnitPrice: Money('New unit price'),
        })),
      }),
      order: OrderViewOut,
    }),
  ),
  hints: DESTRUCTIVE,
  run: ({ dryRun, ...input }, call) => exchangeItems(call.ctx, input, opts(call, dryRun)),
});

const addressTool = defineTool({
  name: 'modify_pending_order_address',
  title: 'Change the shipping address of an unshipped order',
  description:
    'Change the shipping address of an order that has not shipped yet (no package other than failed ones, nothing delivered, not canceled). '
    + 'The address is validated (postal code format for the country). Confirm the full new address with the customer first.',
  input: ModifyPendingOrderAddressInput.extend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({ orderId: z.string(), orderName: z.string(), before: AddressOut.nullable(), after: AddressOut, summary: z.string() }),
    z.object({ order: OrderViewOut }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => modifyPendingOrderAddress(call.ctx, input, opts(call, dryRun)),
});

const itemsTool = defineTool({
  name: 'modify_pending_order_items',
  title: 'Change items of an unshipped order',
  description:
    'Change items of an order that has not shipped to other available variants of the same product (each whole line changes). '
    + 'On a paid order the price difference is charged to or refunded on paymentMethodId (a gift card must cover a charge); '
    + 'on an unpaid order the amount due changes instead. Call once with every item to change. Preview with dryRun and confirm first.',
  input: ModifyPendingOrderItemsInput.extend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({
      orderId: z.string(), orderName: z.string(),
      changes: z.array(z.object({ itemId: z.string(), quantity: z.number().int(), before: LineSide, after: LineSide, difference: Money('Difference of this line') })),
      priceDifference: Money('> 0 the order costs more, < 0 less'), currency: z.string(), settlement: SettlementOut, summary: z.string(),
    }),
    z.object({ order: OrderViewOut }),
  ),
  hints: DESTRUCTIVE,
  run: ({ dryRun, ...input }, call) => modifyPendingOrderItems(call.ctx, input, opts(call, dryRun)),
});

const MethodRef = z.object({ paymentMethodId: z.string().nullable(), label: z.string(), kind: z.string().nullable() });

const paymentTool = defineTool({
  name: 'modify_pending_order_payment',
  title: 'Move the payment of an unshipped order to another payment method',
  description:
    "Move the payment of an order that has not shipped to another of the customer's payment methods. "
    + 'An open authorization is voided and the amount authorized on the new method; captured money is refunded to the old method and charged on the new one. '
    + 'A gift card must cover the whole amount. Preview with dryRun: the steps list says exactly what will happen.',
  input: ModifyPendingOrderPaymentInput.extend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({
      orderId: z.string(), orderName: z.string(), currency: z.string(),
      authorizations: z.array(MethodRef.extend({ transactionId: z.string(), amount: Money('Authorized amount') })),
      captured: z.array(MethodRef.extend({ amount: Money('Captured minus refunded on that method') })),
      to: MethodRef.extend({ paymentMethodId: z.string(), balanceAfter: z.number().int().nullable() }),
      authorizedMoved: Money('Authorized amount moved'), capturedMoved: Money('Captured amount moved'),
      steps: z.array(z.string()), summary: z.string(),
    }),
    z.object({ order: OrderViewOut }),
  ),
  hints: DESTRUCTIVE,
  run: ({ dryRun, ...input }, call) => modifyPendingOrderPayment(call.ctx, input, opts(call, dryRun)),
});

const customerAddressTool = defineTool({
  name: 'update_customer_address',
  title: "Update the customer's default address",
  description:
    "Replace the customer's default address (used for future orders). Orders already placed keep their shipping address: "
    + 'use modify_pending_order_address for those. The address is validated.',
  input: UpdateCustomerAddressInput.extend({ dryRun: DryRun }),
  output: actionOutput(
    z.object({ customerId: z.string(), addressId: z.string().nullable(), before: AddressOut.nullable(), after: AddressOut, summary: z.string() }),
    z.object({ customer: CustomerOut }),
  ),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => updateCustomerAddress(call.ctx, input, opts(call, dryRun)),
});

export const orderChangeTools: ToolDefinition[] = [exchangeTool, addressTool, itemsTool, paymentTool, customerAddressTool] as unknown as ToolDefinition[];

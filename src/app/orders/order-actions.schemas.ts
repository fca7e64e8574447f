/** The answer of GET /v1/orders/{ref}/actions: what can be done to an order now, and its returns and exchanges. */
import { z } from 'zod';
import type { Describes } from '../describes.js';
import { currencyOut, isoTimeOut, itemIdOut, minorUnits, orderIdOut, orderNameOut, titleOut } from '../outputs.js';
import { ReturnView } from '../returns/schemas.js';
import type { OrderActions } from './get-order-actions.js';

export const ORDER_ACTIONS = ['cancel', 'refund', 'return', 'exchange', 'swap'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export const ActionAvailabilityOut = z.object({
  action: z.enum(ORDER_ACTIONS).describe('cancel, refund (items or shipping without a return), return, exchange, swap'),
  allowed: z.boolean().describe('Whether the rules allow it on this order now (for some of its items)'),
  reason: z
    .string()
    .nullable()
    .describe('When not allowed: the rule that refuses (the same reason code the action gives)'),
  why: z
    .string()
    .nullable()
    .describe('When not allowed: why, in words for an agent (no codes or tool names), and what to do instead'),
  policy: z.string().nullable().describe('When not allowed: the policy sentence of the rule'),
  next: z
    .enum(ORDER_ACTIONS)
    .nullable()
    .describe('When not allowed: the action to take instead (allowed now), e.g. a return for a delivered order'),
});

export const ExchangeViewOut = z.object({
  id: z.string().describe('Exchange id (exc_…)'),
  status: z.enum(['requested', 'completed', 'canceled']).describe('requested → completed | canceled'),
  statusLabel: z.string().describe('Status as shown to people'),
  reason: z.string().nullable().describe('Why the items were exchanged'),
  currency: currencyOut,
  priceDifference: minorUnits('Charged (above 0) or refunded (below 0) for the difference in price'),
  createdAt: isoTimeOut('When the exchange was made'),
  items: z
    .array(
      z.object({
        itemId: itemIdOut,
        title: titleOut,
        quantity: z.number().int().describe('Units exchanged'),
        fromSku: z.string().describe('SKU sent back'),
        toSku: z.string().describe('SKU sent instead'),
      }),
    )
    .describe('The units exchanged'),
  nextSteps: z.array(z.enum(['completed', 'canceled'])).describe('Statuses it can move to next'),
});

export const OrderActionsOut = z.object({
  orderId: orderIdOut,
  orderName: orderNameOut,
  actions: z.array(ActionAvailabilityOut).describe('Every order action, in a fixed order, allowed or refused'),
  returns: z.array(ReturnView).describe('The returns of the order, oldest first, with their next steps'),
  exchanges: z.array(ExchangeViewOut).describe('The exchanges of the order, oldest first, with their next steps'),
});

true satisfies Describes<typeof OrderActionsOut, OrderActions>;

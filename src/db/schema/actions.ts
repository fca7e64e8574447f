import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { customers, paymentMethods } from './customers.js';
import { orderLines, orders } from './orders.js';
import type { RefundDestination, RefundKind } from '../../domain/refund-rules.js';
import type { ReturnReason } from '../../domain/return-rules.js';
import type { ReturnStatus } from '../../domain/return-status.js';
import type { PolicyScope } from '../../domain/return-window.js';

/**
 * A return (the Handling Returns procedure). `status` moves only through the transition table in src/domain/return-status.ts;
 * each step's time is kept beside it.
 */
export const returns = pgTable(
  'returns',
  {
    id: text('id').primaryKey(),
    /** What the customer is given and quotes: `RT-` + 8 characters. */
    trackingId: text('tracking_id').notNull().unique(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    /** DAMAGED | DEFECTIVE | WRONG_ITEM | ORDERED_BY_MISTAKE | OTHER */
    reason: text('reason').$type<ReturnReason>().notNull(),
    note: text('note'),
    status: text('status').$type<ReturnStatus>().notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'string' }).notNull(),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'string' }),
    pickedUpAt: timestamp('picked_up_at', { withTimezone: true, mode: 'string' }),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'string' }),
    refundedAt: timestamp('refunded_at', { withTimezone: true, mode: 'string' }),
    declinedAt: timestamp('declined_at', { withTimezone: true, mode: 'string' }),
    canceledAt: timestamp('canceled_at', { withTimezone: true, mode: 'string' }),
    /** Why the store declined or the return was canceled. */
    closeReason: text('close_reason'),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('returns_order_idx').on(t.orderId), index('returns_customer_idx').on(t.customerId)],
);

export const returnItems = pgTable(
  'return_items',
  {
    returnId: text('return_id')
      .notNull()
      .references(() => returns.id, { onDelete: 'cascade' }),
    lineId: text('line_id')
      .notNull()
      .references(() => orderLines.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    /**
     * Minor units the return promised for these units (their share of what the line cost), set when it is requested:
     * the refund of the return pays exactly this. Null for returns made before it was kept.
     */
    itemCost: bigint('item_cost', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.returnId, t.lineId] }),
    index('return_items_line_idx').on(t.lineId),
    check('return_items_quantity_ck', sql`${t.quantity} > 0`),
  ],
);

/**
 * A refund sopdesk issued: to the original payment methods (refund rows in payment_transactions), or to
 * a gift card / store credit of the customer. Per-line refunded quantities are the sum of refund_items.
 */
export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** The order's customer; null for an order without one (a point-of-sale sale refunded to its payment). */
    customerId: text('customer_id').references(() => customers.id),
    /** Set when this is the refund of a received return. */
    returnId: text('return_id').references(() => returns.id),
    /** `refund` (refund_order) or `cancel` (cancel_order's refund). */
    kind: text('kind').$type<RefundKind>().notNull(),
    /** Minor units, all of it: items + shipping (or less, when the agent chose less). */
    amount: bigint('amount', { mode: 'number' }).notNull(),
    /** Minor units of the amount that is shipping. */
    shippingAmount: bigint('shipping_amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** original_payment | store_credit | gift_card */
    destination: text('destination').$type<RefundDestination>().notNull(),
    /** For store_credit / gift_card: the balance credited. */
    creditedPaymentMethodId: text('credited_payment_method_id').references(() => paymentMethods.id),
    reason: text('reason').notNull(),
    note: text('note'),
    /**
     * The same refund in the order's channel, once it was pushed there (`gid://shopify/Refund/…`): how the channel's own
     * refund notifications recognise a refund sopdesk made (docs/connectors.md, Shopify outbound).
     */
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('refunds_order_idx').on(t.orderId),
    check(
      'refunds_amount_ck',
      sql`${t.amount} >= 0 and ${t.shippingAmount} >= 0 and ${t.shippingAmount} <= ${t.amount}`,
    ),
  ],
);

export const refundItems = pgTable(
  'refund_items',
  {
    refundId: text('refund_id')
      .notNull()
      .references(() => refunds.id, { onDelete: 'cascade' }),
    lineId: text('line_id')
      .notNull()
      .references(() => orderLines.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    /** Minor units refunded for these units. */
    amount: bigint('amount', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.refundId, t.lineId] }),
    index('refund_items_line_idx').on(t.lineId),
    check('refund_items_ck', sql`${t.quantity} > 0 and ${t.amount} >= 0`),
  ],
);

/**
 * Return windows as data (the product's own `return_window_days` wins over these): per category, per
 * channel, and the store default (`scope = 'store'`, `key = '*'`). Most specific wins.
 */
export const returnPolicies = pgTable(
  'return_policies',
  {
    /** category | channel | store */
    scope: text('scope').$type<PolicyScope>().notNull(),
    key: text('key').notNull(),
    windowDays: integer('window_days').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), check('return_policies_window_ck', sql`${t.windowDays} > 0`)],
);

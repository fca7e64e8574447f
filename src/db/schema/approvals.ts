import { sql } from 'drizzle-orm';
import type { ApprovalReason, ApprovalStatus, PolicyActor } from '../../domain/approval-policy.js';
import { bigint, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * What each kind of actor may do without a person's approval (docs/approvals.md). One row per actor kind
 * (`ai_agent`, `agent`, `admin`); a null limit is no limit. Amounts in integer minor units of `refund_currency`.
 */
export const approvalPolicies = pgTable('approval_policies', {
  actorKind: text('actor_kind').$type<PolicyActor>().primaryKey(),
  /** The largest refund (a cancel's refund, a refund, a return's refund) one action may make; null = any. */
  refundMaxAmount: bigint('refund_max_amount', { mode: 'number' }),
  /** The currency of `refund_max_amount`; a refund in another currency needs approval while a limit is set. */
  refundCurrency: text('refund_currency'),
  /** Refunds this kind of actor may make per customer per day (UTC) without approval; null = any. */
  refundsPerCustomerPerDay: integer('refunds_per_customer_per_day'),
  /** Write tools this kind of actor may only run with a person's approval, whatever the amount. */
  approvalTools: jsonb('approval_tools').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  updatedBy: text('updated_by'),
});

/** An action above its actor's limits, waiting for (or decided by) a person: pending → approved | declined. */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: text('id').primaryKey(),
    tool: text('tool').notNull(),
    /** The tool's arguments as parsed (without dryRun); run as they are when approved. */
    arguments: jsonb('arguments').$type<Record<string, unknown>>().notNull(),
    /** The caller's key, or `approval:<id>`: the approved action runs under it, so it acts once. */
    idempotencyKey: text('idempotency_key').notNull(),
    /** The tool's dry-run preview when the request was made. */
    preview: jsonb('preview').notNull(),
    /** Why it needs approval: `refund_over_limit`, `refund_currency`, `daily_refund_limit`, `tool_needs_approval`. */
    reasons: jsonb('reasons').$type<ApprovalReason[]>().notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    /** The caller's role (ai_agent, agent, admin): the approved action runs as that caller. */
    role: text('role').notNull(),
    /** The customer the caller was bound to, if any: the approved action is scoped the same way. */
    scopeCustomerId: text('scope_customer_id'),
    customerId: text('customer_id'),
    orderId: text('order_id'),
    amount: bigint('amount', { mode: 'number' }),
    currency: text('currency'),
    status: text('status').$type<ApprovalStatus>().notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
    decisionReason: text('decision_reason'),
    /** The action's answer once approved and run. */
    result: jsonb('result'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    uniqueIndex('approval_requests_tool_key_idx').on(t.tool, t.idempotencyKey),
    index('approval_requests_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * The refunds each kind of actor made per customer and day (UTC), counted here so a limit holds across processes:
 * a use is inserted under an advisory lock of (actor kind, customer) after counting the day's uses, and deleted
 * when the action it was taken for is refused.
 */
export const velocityUses = pgTable(
  'velocity_uses',
  {
    id: text('id').primaryKey(),
    actorKind: text('actor_kind').notNull(),
    customerId: text('customer_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    tool: text('tool').notNull(),
    /** A retry under the same key is the same action: counted once. */
    idempotencyKey: text('idempotency_key'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('velocity_uses_day_idx').on(t.actorKind, t.customerId, t.day),
    uniqueIndex('velocity_uses_key_idx').on(t.actorKind, t.tool, t.idempotencyKey),
  ],
);

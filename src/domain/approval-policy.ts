/**
 * Limits and approvals: what each kind of actor may do without a person's approval. An action above a limit is not
 * refused; it becomes an approval request that a person approves (the action then runs as asked) or declines.
 * Pure rules; the policy itself lives in the database (`approval_policies`) and is edited by an admin.
 */
import { notEligible } from '../kernel/errors.js';

/** The kinds of actor the policy speaks of: the callers' roles that may write. */
export const POLICY_ACTORS = ['ai_agent', 'agent', 'admin'] as const;
export type PolicyActor = (typeof POLICY_ACTORS)[number];

/** An approval request's life: pending until a person approves or declines it. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'declined'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface ActorLimits {
  /** The largest refund one action may make without approval, minor units of `refundCurrency`; null = any. */
  refundMaxAmount: number | null;
  /** The currency of `refundMaxAmount` (ISO 4217); a refund in another currency needs approval while a limit is set. */
  refundCurrency: string | null;
  /** Refunds per customer per day (UTC) without approval; null = any. */
  refundsPerCustomerPerDay: number | null;
  /** Write tools that always need approval for this kind of actor. */
  approvalTools: string[];
}

export type ApprovalPolicy = Record<PolicyActor, ActorLimits>;

const NO_LIMITS: ActorLimits = {
  refundMaxAmount: null,
  refundCurrency: null,
  refundsPerCustomerPerDay: null,
  approvalTools: [],
};

/** The policy a new store starts with (the migration writes the same rows): AI $100 and 2 a day per customer, agents $500, admins unlimited. */
export const DEFAULT_POLICY: ApprovalPolicy = {
  ai_agent: { refundMaxAmount: 10000, refundCurrency: 'USD', refundsPerCustomerPerDay: 2, approvalTools: [] },
  agent: { refundMaxAmount: 50000, refundCurrency: 'USD', refundsPerCustomerPerDay: null, approvalTools: [] },
  admin: NO_LIMITS,
};

/** Why an action needs approval. */
export const APPROVAL_REASONS = {
  refund_over_limit: 'The refund is above the largest refund this kind of actor may make alone.',
  refund_currency: 'The refund is in another currency than the limit of this kind of actor.',
  daily_refund_limit: 'This kind of actor has made as many refunds to this customer today as it may make alone.',
  tool_needs_approval: 'This action always needs a person’s approval for this kind of actor.',
} as const;
export type ApprovalReason = keyof typeof APPROVAL_REASONS;

export const APPROVAL_POLICY_SENTENCE =
  'Actions above the limits of the approval policy wait for a person to approve them; a declined one does not happen.';

/** The money an action gives back to the customer, read from its preview. */
export interface RefundAmount {
  amount: number;
  currency: string;
}

export function limitsOf(policy: ApprovalPolicy, actor: string): ActorLimits | undefined {
  return (POLICY_ACTORS as readonly string[]).includes(actor) ? policy[actor as PolicyActor] : undefined;
}

/** Whether the policy can ask anything of a call of `tool` by this kind of actor (else no preview is needed). */
export function mayNeedApproval(limits: ActorLimits, tool: string, refunds: boolean): boolean {
  if (limits.approvalTools.includes(tool)) return true;
  return refunds && (limits.refundMaxAmount !== null || limits.refundsPerCustomerPerDay !== null);
}

/** The reasons an action needs approval before the daily count is looked at; empty = within the limits. */
export function approvalReasons(limits: ActorLimits, tool: string, refund: RefundAmount | null): ApprovalReason[] {
  const reasons: ApprovalReason[] = [];
  if (limits.approvalTools.includes(tool)) reasons.push('tool_needs_approval');
  if (refund && refund.amount > 0 && limits.refundMaxAmount !== null) {
    if (refund.currency !== limits.refundCurrency) reasons.push('refund_currency');
    else if (refund.amount > limits.refundMaxAmount) reasons.push('refund_over_limit');
  }
  return reasons;
}

/** The UTC day an action counts on for the daily limits, from the injected clock's time. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function approvalDeclined(id: string, reason: string | null) {
  return notEligible(
    'approval_declined',
    `A person declined this action (approval ${id})${reason ? `: ${reason}` : ''}.`,
    APPROVAL_POLICY_SENTENCE,
    { approvalId: id },
  );
}

/** Schemas of the approval policy and approval requests: the HTTP bodies and answers, and the tools' outcome. */
import { z } from 'zod';
import { APPROVAL_REASONS, APPROVAL_STATUSES, POLICY_ACTORS } from '../../domain/approval-policy.js';
import { ISO_4217_MINOR_UNITS } from '../../kernel/iso-4217.js';
import { boundedText } from '../args.js';
import { currencyOut, customerIdOut, isoTimeOut, minorUnits } from '../outputs.js';

const currencyArg = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => c in ISO_4217_MINOR_UNITS, 'an ISO-4217 currency code such as USD')
  .describe('ISO-4217 currency of refundMaxAmount, e.g. USD');

export const ActorLimitsBody = z
  .object({
    refundMaxAmount: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .describe('The largest refund one action may make without approval, in integer minor units; null = no limit'),
    refundCurrency: currencyArg.nullable().describe('Currency of refundMaxAmount (required when it is set)'),
    refundsPerCustomerPerDay: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .nullable()
      .describe(
        'Refunds per customer per day (UTC) without approval; null = no limit; 0 = every refund needs approval',
      ),
    approvalTools: z
      .array(boundedText('code').trim().min(1))
      .max(100)
      .describe('Write tools that always need approval for this kind of actor, e.g. ["swap_purchased_product"]'),
  })
  .refine((l) => l.refundMaxAmount === null || l.refundCurrency !== null, {
    path: ['refundCurrency'],
    message: 'required when refundMaxAmount is set',
  });

export const ApprovalPolicyBody = z
  .object(
    Object.fromEntries(
      POLICY_ACTORS.map((a) => [a, ActorLimitsBody.optional().describe(`The limits of ${a} callers`)]),
    ) as Record<(typeof POLICY_ACTORS)[number], z.ZodOptional<typeof ActorLimitsBody>>,
  )
  .describe('The limits to set, per kind of actor; a kind left out keeps its limits');
export type ApprovalPolicyBody = z.infer<typeof ApprovalPolicyBody>;

const ActorLimitsOut = z.object({
  actorKind: z.enum(POLICY_ACTORS).describe('ai_agent, agent or admin'),
  refundMaxAmount: minorUnits('Largest refund per action without approval; null = no limit').nullable(),
  refundCurrency: currencyOut.nullable(),
  refundsPerCustomerPerDay: z.number().int().nullable().describe('Refunds per customer per day; null = no limit'),
  approvalTools: z.array(z.string()).describe('Write tools that always need approval'),
  updatedAt: isoTimeOut('When these limits were last set'),
  updatedBy: z.string().nullable().describe('Who set them ("default" for the limits sopdesk starts with)'),
});

export const ApprovalPolicyView = z.object({
  actors: z.array(ActorLimitsOut).describe('The limits of each kind of actor'),
  reasons: z
    .record(z.string(), z.string())
    .describe('What each reason an action needs approval means: refund_over_limit, refund_currency, …'),
});
export type ApprovalPolicyView = z.infer<typeof ApprovalPolicyView>;

export const ApprovalView = z.object({
  id: z.string().describe('Approval request id (apr_…)'),
  tool: z.string().describe('The tool (action) to run, e.g. refund_order'),
  arguments: z.record(z.string(), z.unknown()).describe('Its arguments, run as they are when approved'),
  idempotencyKey: z.string().describe('The key the action runs under: it acts once'),
  preview: z.unknown().describe("The action's dry-run preview when it was asked for"),
  reasons: z.array(z.enum(Object.keys(APPROVAL_REASONS) as [string, ...string[]])).describe('Why it needs approval'),
  actor: z
    .object({ kind: z.string().describe('human or ai_agent'), id: z.string().nullable().describe('Who') })
    .describe('Who asked for the action; it runs as theirs'),
  role: z.string().describe('Their role: ai_agent, agent or admin'),
  scopeCustomerId: customerIdOut
    .nullable()
    .describe(
      'The customer the caller acted for (a bound token, an AI agent in a conversation): the action keeps that scope',
    ),
  customerId: customerIdOut.nullable(),
  orderId: z.string().nullable().describe('The order (ord_…), if the action is on one'),
  amount: minorUnits('The refund it makes').nullable(),
  currency: currencyOut.nullable(),
  status: z.enum(APPROVAL_STATUSES).describe('pending, approved or declined'),
  decidedBy: z.string().nullable().describe('Who approved or declined it'),
  decidedAt: isoTimeOut('When').nullable(),
  decisionReason: z.string().nullable().describe('Why it was declined (told to the customer)'),
  result: z.unknown().describe("The action's answer once approved and run; null before"),
  createdAt: isoTimeOut('When it was asked for'),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

export const ApprovalList = z.object({ approvals: z.array(ApprovalView).describe('Newest first') });

export const ApprovalListQuery = z.object({
  status: z.enum(APPROVAL_STATUSES).optional().describe('Only these; default pending'),
});

export const DeclineApprovalBody = z.object({
  reason: boundedText('line').trim().min(1).describe('Why: the customer is told it'),
});
export const ApproveApprovalBody = z.object({});

/** What a write answers instead of its result when a person must approve it first (HTTP 202; MCP; SOP steps wait). */
export const ApprovalRequiredOut = z.object({
  approvalRequired: z
    .object({
      id: z.string().describe('Approval request id (apr_…)'),
      status: z.enum(APPROVAL_STATUSES).describe('pending until a person decides'),
      tool: z.string().describe('The tool that waits'),
      reasons: z.array(z.string()).describe('Why it needs approval (refund_over_limit, daily_refund_limit, …)'),
      preview: z.unknown().describe("The action's preview, as a person will see it"),
      message: z.string().describe('What to tell the customer: a person reviews the request'),
    })
    .describe('Nothing happened yet: the action waits for a person to approve it'),
});
export type ApprovalRequired = z.infer<typeof ApprovalRequiredOut>;

/**
 * The one pipeline every tool call passes after its arguments are parsed and its role checked — REST (/v1/tools and
 * the definitions' routes), MCP and SOP steps alike:
 *
 * 1. **Scope.** A caller acting for one customer names only that customer's records (`scopeArguments`); the answer is
 *    checked too (`assertAnswerInScope`).
 * 2. **Limits.** A write whose actor's limits (the approval policy) it would pass — a refund above the amount, the
 *    day's refunds for the customer used up, a tool that always needs approval — does not run: it becomes an approval
 *    request, and the call answers `{ approvalRequired }` (HTTP 202). Amounts are read from the tool's own dry-run
 *    preview (`refundOf`), so no use case knows about the policy. A retry under the same key answers the same request;
 *    once approved, the call runs the action (the approver's approval already did, under that key: the stored answer).
 * 3. **Run** the tool. Each write it makes checks the caller's `precondition` first, in its own transaction (the AI
 *    still has the conversation: `aiPrecondition`).
 */
import { findApprovalByKey, requestApproval, type ApprovalAsk } from '../app/approvals/approval-requests.js';
import { currentApprovalPolicy } from '../app/approvals/approval-policy.js';
import type { ApprovalRequired, ApprovalView } from '../app/approvals/schemas.js';
import { giveBackUse, takeDailyUse } from '../app/approvals/velocity.js';
import type { AppContext } from '../app/context.js';
import { resolveOrderId } from '../app/orders/resolve-order.js';
import { assertAnswerInScope, scopeArguments } from '../app/scope/customer-scope.js';
import { findOwner } from '../db/repo/owners.js';
import {
  approvalDeclined,
  approvalReasons,
  limitsOf,
  mayNeedApproval,
  type ApprovalReason,
} from '../domain/approval-policy.js';
import { isDomainError } from '../kernel/errors.js';
import type { Caller, ToolCall, ToolDefinition } from './define.js';

export function approvalRequiredOf(a: ApprovalView): ApprovalRequired {
  return {
    approvalRequired: {
      id: a.id,
      status: a.status,
      tool: a.tool,
      reasons: a.reasons,
      preview: a.preview,
      message:
        'This action needs a person’s approval. Nothing has happened yet: tell the customer a colleague reviews the request and they will hear back.',
    },
  };
}

/** Whether a tool's answer is the approval outcome rather than its result. */
export function isApprovalRequired(v: unknown): v is ApprovalRequired {
  return typeof v === 'object' && v !== null && 'approvalRequired' in v && Object.keys(v).length === 1;
}

/** Run the tool (with the daily use taken for it, if any), or answer without running it. */
type Gate = { run: true; use?: string } | { run: false; answer: unknown };

/** Runs a parsed tool call for `caller`: scope, limits, then the tool. */
export async function runTool(
  ctx: AppContext,
  tool: ToolDefinition,
  input: unknown,
  caller: Caller,
  idempotencyKey?: string,
): Promise<unknown> {
  const scope = caller.customerId;
  const args = scope ? await scopeArguments(ctx.database.db, scope, input) : input;
  const call: ToolCall = { ctx, actor: caller.actor, idempotencyKey, caller };
  const gate = await judge(ctx, tool, args as Record<string, unknown>, call, caller);
  if (!gate.run) return gate.answer;
  let output: unknown;
  try {
    output = await tool.run(args, call);
  } catch (e) {
    if (gate.use) await giveBackUse(ctx, gate.use);
    throw e;
  }
  if (scope) assertAnswerInScope(scope, output);
  return output;
}

async function judge(
  ctx: AppContext,
  tool: ToolDefinition,
  args: Record<string, unknown>,
  call: ToolCall,
  caller: Caller,
): Promise<Gate> {
  // Reads and previews are never held for approval.
  if (tool.hints.readOnly || args.dryRun === true) return { run: true };
  const db = ctx.database.db;
  const system = caller.actor.kind === 'system';
  const limits = system ? undefined : limitsOf(await currentApprovalPolicy(ctx), caller.role);
  const limited = limits !== undefined && mayNeedApproval(limits, tool.name, tool.refundOf !== undefined);
  // A call that may have asked for approval before (a retry; an SOP step, looked at by the runner, waiting on one):
  // its request decides. Callers the policy never holds back have none to look up.
  if (call.idempotencyKey && (limited || system)) {
    const prior = await findApprovalByKey(db, tool.name, call.idempotencyKey);
    if (prior?.status === 'pending') return { run: false, answer: approvalRequiredOf(prior) };
    if (prior?.status === 'declined') throw approvalDeclined(prior.id, prior.decisionReason);
    // Approved and run: the action's answer. Approved and not run yet: the approver runs it (`approveRequest`).
    if (prior?.status === 'approved')
      return prior.result !== null ? { run: false, answer: prior.result } : { run: true };
  }
  // The runner's own calls (compensations, a handoff) are not an actor's choice: never held.
  if (!limits || !limited) return { run: true };

  let preview: unknown = null;
  if (tool.previewable !== false) {
    try {
      preview = ((await tool.run({ ...args, dryRun: true }, call)) as { preview?: unknown }).preview;
    } catch (e) {
      // Refused by its own rules: the call itself gives that refusal (and is recorded as the call it is).
      if (isDomainError(e)) return { run: true };
      throw e;
    }
  }
  const refund = preview !== null && preview !== undefined && tool.refundOf ? tool.refundOf(preview) : null;
  const reasons: ApprovalReason[] = approvalReasons(limits, tool.name, refund);
  const owner = await ownerOf(ctx, args, preview);
  let use: string | undefined;
  if (!reasons.length && refund && refund.amount > 0 && limits.refundsPerCustomerPerDay !== null && owner.customerId) {
    const taken = await takeDailyUse(ctx, {
      actorKind: caller.role,
      customerId: owner.customerId,
      tool: tool.name,
      idempotencyKey: call.idempotencyKey,
      limit: limits.refundsPerCustomerPerDay,
    });
    if ('exceeded' in taken) reasons.push('daily_refund_limit');
    else if ('taken' in taken) use = taken.taken;
  }
  if (!reasons.length) return use ? { run: true, use } : { run: true };
  const ask: ApprovalAsk = {
    tool: tool.name,
    arguments: args,
    idempotencyKey: call.idempotencyKey,
    preview: preview ?? null,
    reasons,
    role: caller.role,
    scopeCustomerId: caller.customerId,
    customerId: owner.customerId,
    orderId: owner.orderId,
    refund,
  };
  return {
    run: false,
    answer: approvalRequiredOf(
      await requestApproval(ctx, ask, { actor: caller.actor, precondition: caller.precondition }),
    ),
  };
}

/** The order and customer an action is about: the preview's order, else the arguments' order or customer. */
async function ownerOf(
  ctx: AppContext,
  args: Record<string, unknown>,
  preview: unknown,
): Promise<{ orderId: string | null; customerId: string | null }> {
  const db = ctx.database.db;
  const fromPreview = (preview as { orderId?: unknown } | null)?.orderId;
  let orderId: string | null = typeof fromPreview === 'string' ? fromPreview : null;
  if (!orderId && typeof args.orderId === 'string') {
    try {
      orderId = await resolveOrderId(db, args.orderId);
    } catch (e) {
      if (!isDomainError(e)) throw e;
    }
  }
  if (orderId) return { orderId, customerId: (await findOwner(db, 'order', orderId)) ?? null };
  return { orderId: null, customerId: typeof args.customerId === 'string' ? args.customerId : null };
}

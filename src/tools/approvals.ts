/**
 * Deciding an approval request. Approving runs the action as it was asked — the original arguments, idempotency key,
 * actor and customer scope — so its timeline event and the customer's confirmation follow as for any action, and
 * `approval.approved` names the approver. Declining records why; the customer is told through the outbox. Either way
 * an SOP run waiting on the request goes on.
 */
import {
  claimApproval,
  declineApproval,
  getApproval,
  recordApprovedAction,
  reopenApproval,
} from '../app/approvals/approval-requests.js';
import { loadApprovalPolicy } from '../app/approvals/approval-policy.js';
import type { ApprovalView } from '../app/approvals/schemas.js';
import type { AppContext } from '../app/context.js';
import type { Role } from '../domain/roles.js';
import { approvalReasons, limitsOf } from '../domain/approval-policy.js';
import type { Actor } from '../domain/timeline.js';
import { DomainError } from '../kernel/errors.js';
import { sopEngineFor } from '../sop/engine.js';
import { findTool } from './catalogue.js';
import type { Caller } from './define.js';
import { runTool } from './gate.js';

/**
 * Who may decide: an admin any request; an agent a request of someone else that their own limits would let them make
 * alone (a lead's or admin's approval is needed above that). An AI agent never.
 */
async function assertMayDecide(ctx: AppContext, a: ApprovalView, by: Caller): Promise<void> {
  if (by.role === 'admin') return;
  const refuse = (why: string) => {
    throw new DomainError('forbidden', `You may not decide approval request ${a.id}: ${why}`, {
      reason: 'approval_not_allowed',
    });
  };
  if (by.role !== 'agent') refuse('only people (agents and admins) decide approval requests.');
  if (by.actor.id !== undefined && by.actor.id === a.actor.id && by.actor.kind === a.actor.kind)
    refuse('a request is decided by someone other than who asked for it.');
  const limits = limitsOf(await loadApprovalPolicy(ctx.database.db), by.role);
  const refund = a.amount !== null && a.currency ? { amount: a.amount, currency: a.currency } : null;
  if (!limits || approvalReasons(limits, a.tool, refund).length > 0)
    refuse('it is above your own limits; an admin decides it.');
}

/** An SOP step's key is `sop:<runId>:<stepId>…`: the run to move on once its action is decided. */
async function resumeRun(ctx: AppContext, a: ApprovalView): Promise<void> {
  const m = /^sop:(run_[0-9a-z]+):/.exec(a.idempotencyKey);
  if (!m) return;
  try {
    await sopEngineFor(ctx).view(m[1]!);
  } catch (e) {
    // The decision stands; the run goes on the next time anyone looks at it.
    console.error(`sopdesk approvals: run ${m[1]} did not move on after ${a.id}: ${String(e)}`);
  }
}

export async function approveRequest(ctx: AppContext, id: string, by: Caller): Promise<ApprovalView> {
  const pending = await getApproval(ctx, id);
  await assertMayDecide(ctx, pending, by);
  // The catalogue SOP steps call (the built-in TOOLS unless a context registered another engine).
  const tool = sopEngineFor(ctx).deps.catalogue.find((t) => t.name === pending.tool) ?? findTool(pending.tool);
  if (!tool) throw new Error(`approval ${id} names the tool ${pending.tool}, which the catalogue no longer has`);
  const claimed = await claimApproval(ctx, id, by.actor);
  const caller: Caller = {
    role: claimed.role as Role,
    actor: { kind: claimed.actor.kind as Actor['kind'], ...(claimed.actor.id ? { id: claimed.actor.id } : {}) },
  };
  if (claimed.scopeCustomerId) caller.customerId = claimed.scopeCustomerId;
  let result: unknown;
  try {
    result = await runTool(ctx, tool, claimed.arguments, caller, claimed.idempotencyKey);
  } catch (e) {
    // Refused now (the facts changed since it was asked for): the request is pending again, for a person to decline.
    await reopenApproval(ctx, id);
    throw e;
  }
  const done = await recordApprovedAction(ctx, claimed, result, { actor: by.actor });
  await resumeRun(ctx, done);
  return done;
}

export async function declineRequest(
  ctx: AppContext,
  input: { id: string; reason: string },
  by: Caller,
): Promise<ApprovalView> {
  await assertMayDecide(ctx, await getApproval(ctx, input.id), by);
  const done = await declineApproval(ctx, input, { actor: by.actor });
  await resumeRun(ctx, done);
  return done;
}

/**
 * Approval requests: an action above its actor's limits, kept with its arguments, key and preview until a person
 * approves it (it then runs as asked, src/tools/gate.ts) or declines it (the customer is told).
 * pending → approved | declined; each move is a conditional update, so two people cannot decide one request twice.
 */
import type { Executor } from '../../db/database.js';
import {
  approvePendingRequest,
  declinePendingRequest,
  findApprovalRequest,
  findApprovalRequestByKey,
  insertApprovalRequest,
  listApprovalRequests,
  reopenApprovedRequest,
  setApprovalResult,
  type ApprovalRequestRow,
} from '../../db/repo/approvals.js';
import type { ApprovalReason, RefundAmount } from '../../domain/approval-policy.js';
import type { Actor } from '../../domain/timeline.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import type { ApprovalView } from './schemas.js';

const iso = (t: string | null) => (t ? new Date(t).toISOString() : null);

function viewOf(r: ApprovalRequestRow): ApprovalView {
  return {
    id: r.id,
    tool: r.tool,
    arguments: r.arguments,
    idempotencyKey: r.idempotencyKey,
    preview: r.preview,
    reasons: r.reasons,
    actor: { kind: r.actorKind, id: r.actorId },
    role: r.role,
    scopeCustomerId: r.scopeCustomerId,
    customerId: r.customerId,
    orderId: r.orderId,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
    decisionReason: r.decisionReason,
    result: r.result ?? null,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export interface ApprovalAsk {
  tool: string;
  arguments: Record<string, unknown>;
  /** The caller's key; without one the request makes its own (`approval:<id>`), so the approved action acts once. */
  idempotencyKey?: string | undefined;
  preview: unknown;
  reasons: ApprovalReason[];
  role: string;
  scopeCustomerId?: string | undefined;
  customerId: string | null;
  orderId: string | null;
  refund: RefundAmount | null;
}

/**
 * Records the request (with `approval.requested` on the timeline), or answers the one already made for this tool and
 * key: a retry of the call waits on the same request.
 */
export async function requestApproval(ctx: AppContext, ask: ApprovalAsk, opts: WriteOptions): Promise<ApprovalView> {
  // The request's key is the ask's own (below), not the write's.
  const asked: WriteOptions = { actor: opts.actor, precondition: opts.precondition };
  return write(ctx, 'request_approval', ask, asked, async ({ tx, now, record }) => {
    const id = newId('approval', now.getTime());
    const key = ask.idempotencyKey ?? `approval:${id}`;
    const made = await insertApprovalRequest(tx, {
      id,
      tool: ask.tool,
      arguments: ask.arguments,
      idempotencyKey: key,
      preview: ask.preview ?? null,
      reasons: ask.reasons,
      actorKind: opts.actor.kind,
      actorId: opts.actor.id ?? null,
      role: ask.role,
      scopeCustomerId: ask.scopeCustomerId ?? null,
      customerId: ask.customerId,
      orderId: ask.orderId,
      amount: ask.refund?.amount ?? null,
      currency: ask.refund?.currency ?? null,
      status: 'pending',
      createdAt: now.toISOString(),
    });
    if (!made) {
      const prior = await findApprovalByKey(tx, ask.tool, key);
      if (!prior) throw new Error(`approval request for ${ask.tool} under ${key} vanished`);
      return prior;
    }
    await record({
      type: 'approval.requested',
      customerId: ask.customerId,
      orderId: ask.orderId,
      data: {
        approvalId: id,
        tool: ask.tool,
        reasons: ask.reasons,
        amount: ask.refund?.amount ?? null,
        currency: ask.refund?.currency ?? null,
      },
    });
    return viewOf(made);
  });
}

export async function findApprovalByKey(ex: Executor, tool: string, key: string): Promise<ApprovalView | undefined> {
  const r = await findApprovalRequestByKey(ex, tool, key);
  return r && viewOf(r);
}

export async function getApproval(ctx: AppContext, id: string): Promise<ApprovalView> {
  const r = await findApprovalRequest(ctx.database.db, id);
  if (!r) throw notFound('approval request', id);
  return viewOf(r);
}

/** Requests of a status (default pending), newest first; at most 200. */
export async function listApprovals(
  ctx: AppContext,
  q: { status?: ApprovalView['status'] | undefined },
): Promise<ApprovalView[]> {
  const rows = await listApprovalRequests(ctx.database.db, q.status ?? 'pending', 200);
  return rows.map(viewOf);
}

const decidedAlready = (r: ApprovalView) =>
  conflict(`Approval request ${r.id} is already ${r.status}${r.decidedBy ? ` by ${r.decidedBy}` : ''}.`, {
    reason: 'approval_decided',
    status: r.status,
  });

/**
 * Marks a pending request approved before its action runs, so a decline cannot race the action. A request approved
 * whose action has no result yet (its run was cut short) may be taken again: the action runs under the same key.
 */
export async function claimApproval(ctx: AppContext, id: string, by: Actor): Promise<ApprovalView> {
  const now = ctx.clock.now().toISOString();
  const r = await approvePendingRequest(ctx.database.db, id, { decidedBy: by.id ?? by.kind, decidedAt: now });
  if (r) return viewOf(r);
  const current = await getApproval(ctx, id);
  if (current.status === 'approved' && current.result === null) return current;
  throw decidedAlready(current);
}

/** The approved action was refused when it ran (the facts changed since): the request is pending again. */
export async function reopenApproval(ctx: AppContext, id: string): Promise<void> {
  await reopenApprovedRequest(ctx.database.db, id);
}

/** The approved action ran: its answer is kept, and `approval.approved` names the approver on the timeline. */
export async function recordApprovedAction(
  ctx: AppContext,
  approval: ApprovalView,
  result: unknown,
  opts: WriteOptions,
): Promise<ApprovalView> {
  return write(ctx, 'record_approved_action', { id: approval.id }, opts, async ({ tx, record }) => {
    const r = await setApprovalResult(tx, approval.id, result);
    if (!r) return getApproval(ctx, approval.id);
    await record({
      type: 'approval.approved',
      customerId: approval.customerId,
      orderId: approval.orderId,
      data: { approvalId: approval.id, tool: approval.tool, requestedBy: approval.actor.id },
    });
    return viewOf(r);
  });
}

/** Declines a pending request; `approval.declined` tells the customer why, through the outbox. */
export async function declineApproval(
  ctx: AppContext,
  input: { id: string; reason: string },
  opts: WriteOptions,
): Promise<ApprovalView> {
  return write(ctx, 'decline_approval', input, opts, async ({ tx, now, record }) => {
    const r = await declinePendingRequest(tx, input.id, {
      decidedBy: opts.actor.id ?? opts.actor.kind,
      decidedAt: now.toISOString(),
      decisionReason: input.reason,
    });
    if (!r) {
      const current = await findApprovalRequest(tx, input.id);
      if (!current) throw notFound('approval request', input.id);
      throw decidedAlready(viewOf(current));
    }
    await record({
      type: 'approval.declined',
      customerId: r.customerId,
      orderId: r.orderId,
      data: { approvalId: r.id, tool: r.tool, reason: input.reason },
    });
    return viewOf(r);
  });
}

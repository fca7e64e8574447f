/** The approval policy: read by every write that may need approval; set by an admin (GET/PUT /v1/approval-policy). */
import { findApprovalPolicies, saveApprovalPolicy } from '../../db/repo/approvals.js';
import type { Executor } from '../../db/database.js';
import { APPROVAL_REASONS, DEFAULT_POLICY, POLICY_ACTORS, type ApprovalPolicy } from '../../domain/approval-policy.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { DEFAULT_TOKEN_CACHE_MS } from '../tokens/token-cache.js';
import type { ApprovalPolicyBody, ApprovalPolicyView } from './schemas.js';

/**
 * The policy every write reads, remembered per database for a few seconds (like accepted tokens) so a write does not
 * need its own query for it. A change in this process applies at once; another process (a cluster worker) sees it
 * within `ctx.tokenCacheMs` (default 5 s; 0 = read every time).
 */
const cached = new WeakMap<object, { policy: ApprovalPolicy; expires: number }>();

export async function currentApprovalPolicy(ctx: AppContext): Promise<ApprovalPolicy> {
  const hit = cached.get(ctx.database);
  if (hit && performance.now() < hit.expires) return hit.policy;
  const policy = await loadApprovalPolicy(ctx.database.db);
  const ttl = ctx.tokenCacheMs ?? DEFAULT_TOKEN_CACHE_MS;
  if (ttl > 0) cached.set(ctx.database, { policy, expires: performance.now() + ttl });
  return policy;
}

/** The policy as stored; a kind of actor without a row has the default limits. */
export async function loadApprovalPolicy(ex: Executor): Promise<ApprovalPolicy> {
  const rows = await findApprovalPolicies(ex);
  const policy: ApprovalPolicy = { ...DEFAULT_POLICY };
  for (const r of rows) {
    if (!(POLICY_ACTORS as readonly string[]).includes(r.actorKind)) continue;
    policy[r.actorKind] = {
      refundMaxAmount: r.refundMaxAmount,
      refundCurrency: r.refundCurrency,
      refundsPerCustomerPerDay: r.refundsPerCustomerPerDay,
      approvalTools: r.approvalTools,
    };
  }
  return policy;
}

export async function getApprovalPolicy(ctx: AppContext): Promise<ApprovalPolicyView> {
  const db = ctx.database.db;
  const rows = new Map((await findApprovalPolicies(db)).map((r) => [r.actorKind, r]));
  const policy = await loadApprovalPolicy(db);
  return {
    actors: POLICY_ACTORS.map((a) => {
      const row = rows.get(a);
      return {
        actorKind: a,
        ...policy[a],
        updatedAt: row ? new Date(row.updatedAt).toISOString() : new Date(0).toISOString(),
        updatedBy: row?.updatedBy ?? 'default',
      };
    }),
    reasons: { ...APPROVAL_REASONS },
  };
}

/** Sets the limits of the kinds of actor named in `input`, each with an `approval_policy.changed` event. */
export async function updateApprovalPolicy(
  ctx: AppContext,
  input: ApprovalPolicyBody,
  opts: WriteOptions,
): Promise<ApprovalPolicyView> {
  await write(ctx, 'update_approval_policy', input, opts, async ({ tx, now, record }) => {
    for (const actorKind of POLICY_ACTORS) {
      const limits = input[actorKind];
      if (!limits) continue;
      const row = {
        refundMaxAmount: limits.refundMaxAmount,
        refundCurrency: limits.refundMaxAmount === null ? null : limits.refundCurrency,
        refundsPerCustomerPerDay: limits.refundsPerCustomerPerDay,
        approvalTools: [...new Set(limits.approvalTools)],
        updatedAt: now.toISOString(),
        updatedBy: opts.actor.id ?? opts.actor.kind,
      };
      await saveApprovalPolicy(tx, actorKind, row);
      await record({
        type: 'approval_policy.changed',
        customerId: null,
        data: {
          actorKind,
          refundMaxAmount: row.refundMaxAmount,
          refundCurrency: row.refundCurrency,
          refundsPerCustomerPerDay: row.refundsPerCustomerPerDay,
          approvalTools: row.approvalTools,
        },
      });
    }
    return null;
  });
  cached.delete(ctx.database);
  return getApprovalPolicy(ctx);
}

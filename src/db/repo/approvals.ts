/** The approval policy, approval requests and the daily-limit uses (`velocity_uses`). */
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { ApprovalStatus, PolicyActor } from '../../domain/approval-policy.js';
import type { Executor } from '../database.js';
import { approvalPolicies, approvalRequests, velocityUses } from '../schema/index.js';

export type ApprovalPolicyRow = typeof approvalPolicies.$inferSelect;
export type ApprovalRequestRow = typeof approvalRequests.$inferSelect;

/** The stored limits, one row per kind of actor that has been set. */
export function findApprovalPolicies(ex: Executor): Promise<ApprovalPolicyRow[]> {
  return ex.select().from(approvalPolicies);
}

/** Sets the limits of one kind of actor (its row made or replaced). */
export async function saveApprovalPolicy(
  ex: Executor,
  actorKind: PolicyActor,
  row: Omit<ApprovalPolicyRow, 'actorKind'>,
): Promise<void> {
  await ex
    .insert(approvalPolicies)
    .values({ actorKind, ...row })
    .onConflictDoUpdate({ target: approvalPolicies.actorKind, set: row });
}

/** Inserts the request; undefined when one for the same tool and key exists already. */
export async function insertApprovalRequest(
  ex: Executor,
  row: typeof approvalRequests.$inferInsert,
): Promise<ApprovalRequestRow | undefined> {
  const [made] = await ex.insert(approvalRequests).values(row).onConflictDoNothing().returning();
  return made;
}

export async function findApprovalRequestByKey(
  ex: Executor,
  tool: string,
  key: string,
): Promise<ApprovalRequestRow | undefined> {
  const [r] = await ex
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.tool, tool), eq(approvalRequests.idempotencyKey, key)));
  return r;
}

export async function findApprovalRequest(ex: Executor, id: string): Promise<ApprovalRequestRow | undefined> {
  const [r] = await ex.select().from(approvalRequests).where(eq(approvalRequests.id, id));
  return r;
}

/** Requests of a status, newest first. */
export function listApprovalRequests(
  ex: Executor,
  status: ApprovalStatus,
  limit: number,
): Promise<ApprovalRequestRow[]> {
  return ex
    .select()
    .from(approvalRequests)
    .where(eq(approvalRequests.status, status))
    .orderBy(desc(approvalRequests.createdAt), desc(approvalRequests.id))
    .limit(limit);
}

/** Marks a pending request approved; undefined when it is not pending (or does not exist). */
export async function approvePendingRequest(
  ex: Executor,
  id: string,
  by: { decidedBy: string; decidedAt: string },
): Promise<ApprovalRequestRow | undefined> {
  const [r] = await ex
    .update(approvalRequests)
    .set({ status: 'approved', ...by })
    .where(and(eq(approvalRequests.id, id), eq(approvalRequests.status, 'pending')))
    .returning();
  return r;
}

/** An approved request whose action has no result yet is pending again. */
export async function reopenApprovedRequest(ex: Executor, id: string): Promise<void> {
  await ex
    .update(approvalRequests)
    .set({ status: 'pending', decidedBy: null, decidedAt: null })
    .where(and(eq(approvalRequests.id, id), eq(approvalRequests.status, 'approved'), isNull(approvalRequests.result)));
}

/** Keeps the action's answer; undefined when the request has one already (or does not exist). */
export async function setApprovalResult(
  ex: Executor,
  id: string,
  result: unknown,
): Promise<ApprovalRequestRow | undefined> {
  const [r] = await ex
    .update(approvalRequests)
    .set({ result: result ?? null })
    .where(and(eq(approvalRequests.id, id), isNull(approvalRequests.result)))
    .returning();
  return r;
}

/** Marks a pending request declined; undefined when it is not pending (or does not exist). */
export async function declinePendingRequest(
  ex: Executor,
  id: string,
  by: { decidedBy: string; decidedAt: string; decisionReason: string },
): Promise<ApprovalRequestRow | undefined> {
  const [r] = await ex
    .update(approvalRequests)
    .set({ status: 'declined', ...by })
    .where(and(eq(approvalRequests.id, id), eq(approvalRequests.status, 'pending')))
    .returning();
  return r;
}

/** Whether a use was taken already for this action (its tool and idempotency key). */
export async function hasVelocityUse(
  ex: Executor,
  u: { actorKind: string; tool: string; idempotencyKey: string },
): Promise<boolean> {
  const [prior] = await ex
    .select({ id: velocityUses.id })
    .from(velocityUses)
    .where(
      and(
        eq(velocityUses.actorKind, u.actorKind),
        eq(velocityUses.tool, u.tool),
        eq(velocityUses.idempotencyKey, u.idempotencyKey),
      ),
    );
  return prior !== undefined;
}

/** The uses taken by a kind of actor for a customer on a day (UTC, YYYY-MM-DD). */
export async function countVelocityUses(
  ex: Executor,
  u: { actorKind: string; customerId: string; day: string },
): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(velocityUses)
    .where(
      and(
        eq(velocityUses.actorKind, u.actorKind),
        eq(velocityUses.customerId, u.customerId),
        eq(velocityUses.day, u.day),
      ),
    );
  return Number(row?.n ?? 0);
}

export async function insertVelocityUse(ex: Executor, row: typeof velocityUses.$inferInsert): Promise<void> {
  await ex.insert(velocityUses).values(row);
}

export async function deleteVelocityUse(ex: Executor, id: string): Promise<void> {
  await ex.delete(velocityUses).where(eq(velocityUses.id, id));
}

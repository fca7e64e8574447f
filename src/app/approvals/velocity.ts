/**
 * The daily limits, counted in the database so they hold across processes: a refund takes a use of (actor kind,
 * customer, UTC day) under an advisory lock of (actor kind, customer), after counting that day's uses — two parallel
 * refunds are counted one after the other, so they cannot both slip under the limit. A use is given back when the
 * action it was taken for is refused; one taken by a process that died before its action ran stays counted (a limit
 * errs on the side of asking a person).
 */
import { countVelocityUses, deleteVelocityUse, hasVelocityUse, insertVelocityUse } from '../../db/repo/approvals.js';
import { lockChannelKey } from '../../db/repo/channel-locks.js';
import { dayOf } from '../../domain/approval-policy.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext } from '../context.js';

export interface UseRequest {
  actorKind: string;
  customerId: string;
  tool: string;
  idempotencyKey?: string | undefined;
  /** Uses allowed per customer per day. */
  limit: number;
}

/** A use taken (its id, to give back on a refusal), an earlier use under the same key, or none left today. */
export type UseOutcome = { taken: string } | { counted: true } | { exceeded: true; used: number };

export async function takeDailyUse(ctx: AppContext, u: UseRequest): Promise<UseOutcome> {
  const now = ctx.clock.now();
  const day = dayOf(now);
  return ctx.database.transaction(async (tx) => {
    // The same advisory-lock helper the channel syncs use, with keys of its own kind.
    await lockChannelKey(tx, `velocity:${u.actorKind}:${u.customerId}`);
    const key = u.idempotencyKey;
    if (key && (await hasVelocityUse(tx, { actorKind: u.actorKind, tool: u.tool, idempotencyKey: key })))
      return { counted: true } as const;
    const used = await countVelocityUses(tx, { actorKind: u.actorKind, customerId: u.customerId, day });
    if (used >= u.limit) return { exceeded: true, used } as const;
    const id = newId('velocityUse', now.getTime());
    await insertVelocityUse(tx, {
      id,
      actorKind: u.actorKind,
      customerId: u.customerId,
      day,
      tool: u.tool,
      idempotencyKey: u.idempotencyKey ?? null,
      createdAt: now.toISOString(),
    });
    return { taken: id } as const;
  });
}

/** Gives a use back: its action was refused, so it did not happen. */
export async function giveBackUse(ctx: AppContext, id: string): Promise<void> {
  await deleteVelocityUse(ctx.database.db, id);
}

/**
 * Return windows as data: set (or remove, with `windowDays: null`) the window for a category, a channel,
 * or the store default. A product's own return window still wins over all of these.
 */
import { and, eq } from 'drizzle-orm';
import { returnPolicies } from '../../db/schema/index.js';
import { invalid } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { loadReturnRules } from './check-return-eligibility.js';
import type { SetReturnPolicyInput } from './schemas.js';
import type { ReturnPolicyRule } from '../../domain/return-window.js';

export async function setReturnPolicy(
  ctx: AppContext,
  input: SetReturnPolicyInput,
  opts: WriteOptions,
): Promise<{ policies: ReturnPolicyRule[] }> {
  if (input.scope === 'store' && input.key !== undefined && input.key !== '*')
    throw invalid('key', 'leave key out for the store default');
  if (input.scope !== 'store' && input.key === undefined) throw invalid('key', `name the ${input.scope}`);
  const key = input.scope === 'store' ? '*' : input.key!;
  return write(ctx, 'set_return_policy', input, opts, async ({ tx, now, record }) => {
    const where = and(eq(returnPolicies.scope, input.scope), eq(returnPolicies.key, key));
    if (input.windowDays === null) {
      await tx.delete(returnPolicies).where(where);
    } else {
      await tx
        .insert(returnPolicies)
        .values({ scope: input.scope, key, windowDays: input.windowDays, updatedAt: now.toISOString() })
        .onConflictDoUpdate({
          target: [returnPolicies.scope, returnPolicies.key],
          set: { windowDays: input.windowDays, updatedAt: now.toISOString() },
        });
    }
    await record({
      type: 'return_policy.changed',
      customerId: null,
      data: { scope: input.scope, key, windowDays: input.windowDays },
    });
    return { policies: await loadReturnRules(tx) };
  });
}

export async function listReturnPolicies(ctx: AppContext): Promise<{ policies: ReturnPolicyRule[] }> {
  return { policies: await loadReturnRules(ctx.database.db) };
}

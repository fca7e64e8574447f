/**
 * Return windows as data: set (or remove, with `windowDays: null`) the window for a category, a channel,
 * or the store default. A product's own return window still wins over all of these.
 */
import { findReturnPolicies, saveReturnPolicy } from '../../db/repo/actions.js';
import { invalid } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import type { SetReturnPolicyInput } from './schemas.js';
import type { ReturnPolicyRule } from '../../domain/return-window.js';

export async function setReturnPolicy(
  ctx: AppContext,
  input: SetReturnPolicyInput,
  opts: WriteOptions,
): Promise<{ policies: ReturnPolicyRule[] }> {
  if (input.scope === 'store' && input.key !== undefined && input.key !== '*')
    throw invalid('key', 'leave key out for the store default');
  const key = input.scope === 'store' ? '*' : input.key;
  if (key === undefined) throw invalid('key', `name the ${input.scope}`);
  return write(ctx, 'set_return_policy', input, opts, async ({ tx, now, record }) => {
    await saveReturnPolicy(tx, { scope: input.scope, key, windowDays: input.windowDays, at: now.toISOString() });
    await record({
      type: 'return_policy.changed',
      customerId: null,
      data: { scope: input.scope, key, windowDays: input.windowDays },
    });
    return { policies: await findReturnPolicies(tx) };
  });
}

export async function listReturnPolicies(ctx: AppContext): Promise<{ policies: ReturnPolicyRule[] }> {
  return { policies: await findReturnPolicies(ctx.database.db) };
}

import { eq } from 'drizzle-orm';
import { apiTokens } from '../../db/schema/index.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { listTokens, type TokenInfo } from './list-tokens.js';
import { forgetToken } from './token-cache.js';

/** Revokes a token: it is refused from now on. Revoking a revoked token changes nothing. */
export async function revokeToken(ctx: AppContext, input: { id: string }): Promise<TokenInfo> {
  const [row] = await ctx.database.db.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, input.id));
  if (!row) throw notFound('token', input.id);
  if (!row.revokedAt) await ctx.database.db.update(apiTokens).set({ revokedAt: ctx.clock.now().toISOString() }).where(eq(apiTokens.id, input.id));
  forgetToken(ctx.database, input.id);
  return (await listTokens(ctx)).find((t) => t.id === input.id)!;
}

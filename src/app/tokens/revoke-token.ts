import { eq } from 'drizzle-orm';
import { apiTokens, sessions } from '../../db/schema/index.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { listTokens, type TokenInfo } from './list-tokens.js';
import { forgetToken } from './token-cache.js';

/**
 * Revokes a token: it is refused from now on, and the browser sessions signed in with it end with it.
 * Revoking a revoked token changes nothing.
 */
export async function revokeToken(ctx: AppContext, input: { id: string }): Promise<TokenInfo> {
  await ctx.database.transaction(async (tx) => {
    const [row] = await tx.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, input.id));
    if (!row) throw notFound('token', input.id);
    if (!row.revokedAt)
      await tx.update(apiTokens).set({ revokedAt: ctx.clock.now().toISOString() }).where(eq(apiTokens.id, input.id));
    await tx.delete(sessions).where(eq(sessions.subject, input.id));
  });
  forgetToken(ctx.database, input.id);
  return (await listTokens(ctx)).find((t) => t.id === input.id)!;
}

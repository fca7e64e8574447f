import { revokeTokenRow } from '../../db/repo/tokens.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { listTokens, type TokenInfo } from './list-tokens.js';
import { forgetToken } from './token-cache.js';

/**
 * Revokes a token: it is refused from now on, and the browser sessions signed in with it end with it.
 * Revoking a revoked token changes nothing.
 */
export async function revokeToken(ctx: AppContext, input: { id: string }): Promise<TokenInfo> {
  const found = await ctx.database.transaction((tx) => revokeTokenRow(tx, input.id, ctx.clock.now().toISOString()));
  if (!found) throw notFound('token', input.id);
  forgetToken(ctx.database, input.id);
  const token = (await listTokens(ctx)).find((t) => t.id === input.id);
  if (!token) throw notFound('token', input.id);
  return token;
}

import { asc } from 'drizzle-orm';
import { apiTokens } from '../../db/schema/index.js';
import type { AppContext } from '../context.js';
import type { Role } from '../../domain/roles.js';

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  /** Null while the token is accepted. */
  revokedAt: string | null;
}

/** Every token ever made, oldest first; secrets are never stored, so never listed. */
export async function listTokens(ctx: AppContext): Promise<TokenInfo[]> {
  const rows = await ctx.database.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.map((r) => ({
    ...r,
    role: r.role,
    createdAt: new Date(r.createdAt).toISOString(),
    revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null,
  }));
}

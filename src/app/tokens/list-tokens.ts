import { listTokenRows } from '../../db/repo/tokens.js';
import type { Role } from '../../domain/roles.js';
import type { AppContext } from '../context.js';

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  /** The customer a bound token acts for; null = any. */
  customerId: string | null;
  createdAt: string;
  /** Null while the token is accepted. */
  revokedAt: string | null;
}

/** Every token ever made, oldest first; secrets are never stored, so never listed. */
export async function listTokens(ctx: AppContext): Promise<TokenInfo[]> {
  const rows = await listTokenRows(ctx.database.db);
  return rows.map((r) => ({
    ...r,
    createdAt: new Date(r.createdAt).toISOString(),
    revokedAt: r.revokedAt ? new Date(r.revokedAt).toISOString() : null,
  }));
}

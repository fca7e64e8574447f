import { asc, eq, sql } from 'drizzle-orm';
import type { Role } from '../../domain/roles.js';
import { preparedRows, type Executor } from '../database.js';
import { apiTokens, sessions } from '../schema/index.js';

export type TokenRow = Omit<typeof apiTokens.$inferSelect, 'tokenHash'>;

/** Stores a token's hash; a hash already stored is left as it is. */
export async function insertToken(ex: Executor, row: typeof apiTokens.$inferInsert): Promise<void> {
  await ex.insert(apiTokens).values(row).onConflictDoNothing({ target: apiTokens.tokenHash });
}

const tokenByHash = preparedRows<{ id: string; name: string; role: Role; customer_id: string | null }, { h: string }>(
  'sopdesk_verify_token',
  () =>
    sql`select id, name, role, customer_id from api_tokens where token_hash = ${sql.placeholder('h')} and revoked_at is null`,
);

/** The token not revoked whose SHA-256 is `hash`. */
export async function findActiveTokenByHash(ex: Executor, hash: string) {
  const [row] = await tokenByHash(ex, { h: hash });
  return row;
}

export async function anyTokenExists(ex: Executor): Promise<boolean> {
  const r = await ex.select({ id: apiTokens.id }).from(apiTokens).limit(1);
  return r.length > 0;
}

/** Every token ever made, oldest first. */
export async function listTokenRows(ex: Executor): Promise<TokenRow[]> {
  return ex
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      customerId: apiTokens.customerId,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
}

/**
 * Revokes a token (a revoked one keeps its first time) and ends the sessions opened with it; false when there is no
 * such token.
 */
export async function revokeTokenRow(ex: Executor, id: string, at: string): Promise<boolean> {
  const [row] = await ex.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, id));
  if (!row) return false;
  if (!row.revokedAt) await ex.update(apiTokens).set({ revokedAt: at }).where(eq(apiTokens.id, id));
  await ex.delete(sessions).where(eq(sessions.subject, id));
  return true;
}

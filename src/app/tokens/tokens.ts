import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { anyTokenExists, findActiveTokenByHash, insertToken as insertTokenRow } from '../../db/repo/tokens.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { invalid, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { isRole, ROLES, type Role } from '../../domain/roles.js';
import type { Actor } from '../../domain/timeline.js';
import { cachedPrincipal, DEFAULT_TOKEN_CACHE_MS, rememberPrincipal } from './token-cache.js';

export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** A token bound to one customer acts only for them (reads and writes alike). */
  customerId?: string | undefined;
}

/** Who a token acts as on the timeline: an AI agent for ai_agent tokens, a human for the others. */
export function actorFor(p: Principal): Actor {
  return { kind: p.role === 'ai_agent' ? 'ai_agent' : 'human', id: p.name };
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token; the secret is returned once and only its hash is stored. */
export async function createToken(
  ctx: AppContext,
  input: { role: string; name?: string | undefined; secret?: string | undefined; customerId?: string | undefined },
): Promise<{ id: string; role: Role; token: string; customerId: string | null }> {
  return insertToken(ctx.database.db, input, ctx.clock.now());
}

/**
 * `POST /v1/tokens`: a token made as an idempotent write. A retry under the same Idempotency-Key answers with the
 * same token's id and role and `token: null`: the secret is in the first answer only, and never stored.
 */
export async function issueToken(
  ctx: AppContext,
  input: { role: string; name?: string | undefined; customerId?: string | undefined },
  opts: WriteOptions,
): Promise<{ id: string; role: Role; customerId: string | null; token: string | null }> {
  let token: string | null = null;
  const made = await write(ctx, 'create_token', input, opts, async ({ tx, now }) => {
    const t = await insertToken(tx, input, now);
    token = t.token;
    return { id: t.id, role: t.role, customerId: t.customerId };
  });
  return { ...made, token };
}

async function insertToken(
  ex: Executor,
  input: { role: string; name?: string | undefined; secret?: string | undefined; customerId?: string | undefined },
  now: Date,
): Promise<{ id: string; role: Role; token: string; customerId: string | null }> {
  const role = input.role;
  if (!isRole(role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  const customerId = input.customerId ?? null;
  if (customerId && role === 'admin') throw invalid('customerId', 'an admin token cannot be bound to a customer');
  if (customerId && !(await findCustomerById(ex, customerId))) throw notFound('customer', customerId);
  const token = input.secret ?? `sdk_${randomBytes(24).toString('base64url')}`;
  if (token.length < 16) throw invalid('token', 'must be at least 16 characters');
  const id = newId('token');
  await insertTokenRow(ex, {
    id,
    name: input.name ?? role,
    role,
    customerId,
    tokenHash: hash(token),
    createdAt: now.toISOString(),
  });
  return { id, role, token, customerId };
}

/**
 * The principal of an accepted token, or undefined for an unknown or revoked one. An accepted token is remembered for
 * `ctx.tokenCacheMs` (default 5 s) so requests do not each query the token table; see token-cache.ts. `fresh` reads the
 * table whatever the cache holds: for what outlives a request, such as opening a session.
 */
export async function verifyToken(
  ctx: AppContext,
  token: string,
  opts: { fresh?: boolean } = {},
): Promise<Principal | undefined> {
  const h = hash(token);
  const ttl = ctx.tokenCacheMs ?? DEFAULT_TOKEN_CACHE_MS;
  const cached = ttl > 0 && !opts.fresh ? cachedPrincipal(ctx.database, h) : undefined;
  if (cached) return cached;
  const row = await findActiveTokenByHash(ctx.database.db, h);
  if (!row) return undefined;
  const principal: Principal = {
    tokenId: row.id,
    name: row.name,
    role: row.role,
    ...(row.customer_id ? { customerId: row.customer_id } : {}),
  };
  rememberPrincipal(ctx.database, h, principal, ttl);
  return principal;
}

/** Whether any token was ever made (a first start makes an admin token when none was). */
export async function hasTokens(ctx: AppContext): Promise<boolean> {
  return anyTokenExists(ctx.database.db);
}

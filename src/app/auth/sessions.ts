/**
 * Browser sessions: signing in with an API token or a password opens a session whose secret goes in an httpOnly
 * cookie; only its SHA-256 is stored. A session carries the name and role it was opened with.
 */
import { createHash, randomBytes } from 'node:crypto';
import { deleteSession, findActiveUserByEmail, findLiveSession, insertSession } from '../../db/repo/users.js';
import { DomainError } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { verifyToken, type Principal } from '../tokens/tokens.js';
import { verifyPassword } from './passwords.js';
import { assertMayTry, clearFailures, recordFailure } from './sign-in-limiter.js';

export const SESSION_TTL_MS = 12 * 3_600_000;
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

export type SignInInput = { token: string } | { email: string; password: string };

const refused = () =>
  new DomainError('unauthorized', 'That sign-in did not work: check the token, or the email and password.');

export async function signIn(
  ctx: AppContext,
  input: SignInInput,
): Promise<{ secret: string; principal: Principal; expiresAt: string }> {
  let principal: Principal | undefined;
  if ('token' in input) {
    // A session outlives the token cache: a token revoked a moment ago in another process must not open one.
    principal = await verifyToken(ctx, input.token, { fresh: true });
  } else {
    const email = input.email.trim().toLowerCase();
    assertMayTry(ctx.database, email, ctx.clock.now());
    const u = await findActiveUserByEmail(ctx.database.db, email);
    if (u && (await verifyPassword(input.password, u.passwordHash)))
      principal = { tokenId: u.id, name: u.name, role: u.role };
    if (principal) clearFailures(ctx.database, email);
    else recordFailure(ctx.database, email, ctx.clock.now());
  }
  if (!principal) throw refused();
  const secret = `sds_${randomBytes(24).toString('base64url')}`;
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await insertSession(ctx.database.db, {
    idHash: hash(secret),
    name: principal.name,
    role: principal.role,
    subject: principal.tokenId,
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { secret, principal, expiresAt };
}

/** The session's principal while it lasts and while what opened it — a token not revoked, a user not disabled — stands. */
export async function verifySession(ctx: AppContext, secret: string): Promise<Principal | undefined> {
  const s = await findLiveSession(ctx.database.db, hash(secret), ctx.clock.now().toISOString());
  return s ? { tokenId: s.subject, name: s.name, role: s.role } : undefined;
}

export async function signOut(ctx: AppContext, secret: string): Promise<void> {
  await deleteSession(ctx.database.db, hash(secret));
}

import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { verifySession } from '../app/auth/sessions.js';
import { DomainError } from '../kernel/errors.js';
import type { Actor } from '../domain/timeline.js';
import type { AppContext } from '../app/context.js';
import { actorFor, verifyToken, type Principal } from '../app/tokens/tokens.js';
import { WRITER_ROLES, type Role } from '../domain/roles.js';
import type { Caller } from '../tools/define.js';

/** The browser session cookie (httpOnly, SameSite=Strict); the API also accepts a bearer token. */
export const SESSION_COOKIE = 'sopdesk_session';

export type Env = {
  Variables: {
    principal: Principal;
    actor: Actor;
    /** Asks again whether the request's token or session is still good (a long-lived stream asks now and then). */
    stillSignedIn: () => Promise<boolean>;
  };
};

/** Every endpoint but /health needs `Authorization: Bearer <token>`. */
export function requireToken(ctx: AppContext): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const cookie = m ? undefined : getCookie(c, SESSION_COOKIE);
    if (!m && !cookie) {
      challenge(c);
      throw new DomainError(
        'unauthorized',
        'Send an API token as "Authorization: Bearer <token>". Create one with `sopdesk token create --role agent`.',
      );
    }
    if (cookie && !SAFE_METHODS.has(c.req.method)) assertSameOrigin(c);
    const verify = () => (m ? verifyToken(ctx, m[1]!) : verifySession(ctx, cookie!));
    const principal = await verify();
    if (!principal) {
      challenge(c, 'invalid_token');
      throw new DomainError(
        'unauthorized',
        m ? 'This API token is unknown or revoked.' : 'Your session has ended; sign in again.',
      );
    }
    c.set('principal', principal);
    c.set('actor', actorFor(principal));
    c.set('stillSignedIn', async () => !!(await verify()));
    await next();
  };
}

/** A 401 of a token-protected route says how to authenticate (RFC 6750): MCP clients read it to discover auth. */
export const BEARER_CHALLENGE = 'Bearer realm="sopdesk"';
function challenge(c: Context, error?: 'invalid_token'): void {
  c.header('WWW-Authenticate', error ? `${BEARER_CHALLENGE}, error="${error}"` : BEARER_CHALLENGE);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A write carried by the session cookie must come from the Agent Inbox's own origin: a page on another port of the same
 * host, or on a sibling subdomain, is "same site" and its requests carry the cookie too (cross-site request forgery).
 * Browsers say where a request comes from (`Sec-Fetch-Site`, else `Origin`); a client that says neither is no browser.
 */
function assertSameOrigin(c: Context): void {
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  const same =
    site !== undefined
      ? site === 'same-origin' || site === 'none'
      : origin === undefined || originHost(origin) === host;
  if (!same) {
    throw new DomainError(
      'forbidden',
      'A write signed in with the session cookie must come from the Agent Inbox itself; other programs use an API token.',
      { reason: 'cross_origin' },
    );
  }
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** A viewer may read; only the writer roles may write. */
export const writeGuard: MiddlewareHandler<Env> = async (c, next) => {
  // A tool call is a POST whatever the tool does: src/tools/invoke.ts checks the role per tool instead.
  if (c.req.path.startsWith('/v1/tools/')) return next();
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !WRITER_ROLES.includes(c.get('principal').role)) {
    throw new DomainError(
      'forbidden',
      `A ${c.get('principal').role} token may only read. Ask an admin for an agent token.`,
    );
  }
  await next();
};

/** The caller of a request: the token's (or session's) role and actor, and the customer a bound token acts for. */
export function callerOf(c: Context<Env>): Caller {
  const p = c.get('principal');
  return { role: p.role, actor: c.get('actor'), ...(p.customerId ? { customerId: p.customerId } : {}) };
}

/** Refuses (403) a caller whose role is not one of `roles`. */
export function assertRole(c: Context<Env>, roles: readonly Role[]): void {
  if (!roles.includes(c.get('principal').role)) {
    throw new DomainError(
      'forbidden',
      `This needs one of the roles ${roles.join(', ')}; your token is ${c.get('principal').role}.`,
    );
  }
}

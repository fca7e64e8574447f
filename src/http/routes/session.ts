import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { boundedEmail, boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { signIn, signOut, SESSION_TTL_MS } from '../../app/auth/sessions.js';
import { SESSION_COOKIE, type Env } from '../auth.js';
import { parseBody } from '../parse.js';

export const SignInBody = z.union([
  z.object({ token: boundedText('code').min(1).describe('An API token') }),
  z.object({
    email: boundedEmail().describe('The user email'),
    password: boundedText('line').min(1).describe('The password'),
  }),
]);

/** Where sopdesk is reached from, when a proxy in front of it ends TLS. */
export interface PublicOrigin {
  /** SOPDESK_PUBLIC_URL: the address people open; `https://…` makes the session cookie Secure. */
  publicUrl?: string | undefined;
  /** SOPDESK_TRUST_PROXY: believe X-Forwarded-Proto / Forwarded (proto=) from the proxy in front. */
  trustProxy?: boolean | undefined;
}

/**
 * Whether the browser reached sopdesk over HTTPS, so the cookie must be Secure: the request itself was HTTPS, the
 * public URL is HTTPS, or a trusted proxy says the browser's request was (the first hop it names is the browser's).
 */
export function reachedOverHttps(c: Context, origin: PublicOrigin): boolean {
  if (new URL(c.req.url).protocol === 'https:' || origin.publicUrl?.startsWith('https:')) return true;
  if (!origin.trustProxy) return false;
  const forwarded =
    c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() ??
    /(?:^|[;,\s])proto="?([a-z]+)"?/i.exec(c.req.header('forwarded') ?? '')?.[1];
  return forwarded?.toLowerCase() === 'https';
}

/** Sign in and out of the web UI. Mounted before the token check: signing in is how a browser gets one. */
export function sessionRoutes(ctx: AppContext, origin: PublicOrigin = {}) {
  return new Hono<Env>()
    .post('/', async (c) => {
      const input = await parseBody(c, SignInBody);
      const s = await signIn(ctx, input);
      setCookie(c, SESSION_COOKIE, s.secret, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
        secure: reachedOverHttps(c, origin),
      });
      return c.json({ name: s.principal.name, role: s.principal.role, expiresAt: s.expiresAt }, 201);
    })
    .delete('/', async (c) => {
      const secret = getCookie(c, SESSION_COOKIE);
      if (secret) await signOut(ctx, secret);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    });
}

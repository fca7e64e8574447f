import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { boundedEmail, boundedText } from '../../app/args.js';
import { signIn, signOut, SESSION_TTL_MS } from '../../app/auth/sessions.js';
import { PrincipalOut, SessionOut } from '../answers.js';
import { SESSION_COOKIE } from '../auth.js';
import { defineRoute } from '../define-route.js';

const SignInBody = z.union([
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

/** Sign in and out of the web UI. Signing in and out need no token: signing in is how a browser gets one. */
export const SESSION_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/session',
    operationId: 'signIn',
    summary: 'Sign in to the web UI with an API token or an email and password; sets the session cookie',
    tag: 'session',
    public: true,
    body: SignInBody,
    idempotent: false,
    errors: [400, 401],
    ok: { status: 201, description: 'Who is signed in and until when', schema: SessionOut },
    run: async ({ ctx, server, c, body }) => {
      const s = await signIn(ctx, body);
      setCookie(c, SESSION_COOKIE, s.secret, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
        secure: reachedOverHttps(c, server.origin),
      });
      return { name: s.principal.name, role: s.principal.role, expiresAt: s.expiresAt };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/session',
    operationId: 'getSession',
    summary: 'Who the token or session cookie belongs to',
    tag: 'session',
    errors: [401],
    ok: { status: 200, description: 'The principal', schema: PrincipalOut },
    run: ({ c }) => ({ name: c.get('principal').name, role: c.get('principal').role }),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/session',
    operationId: 'signOut',
    summary: 'Sign out of the web UI: ends the session and clears its cookie',
    tag: 'session',
    public: true,
    idempotent: false,
    errors: [],
    ok: { status: 204, description: 'Signed out (no body)' },
    run: async ({ ctx, c }) => {
      const secret = getCookie(c, SESSION_COOKIE);
      if (secret) await signOut(ctx, secret);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  }),
];

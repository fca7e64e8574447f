import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { signIn, signOut, SESSION_TTL_MS } from '../../app/auth/sessions.js';
import { SESSION_COOKIE, type Env } from '../auth.js';
import { parseBody } from '../parse.js';

export const SignInBody = z.union([
  z.object({ token: z.string().min(1).describe('An API token') }),
  z.object({ email: z.email().describe('The user email'), password: z.string().min(1).describe('The password') }),
]);

/** Sign in and out of the web UI. Mounted before the token check: signing in is how a browser gets one. */
export function sessionRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .post('/', async (c) => {
      const input = await parseBody(c, SignInBody);
      const s = await signIn(ctx, input);
      setCookie(c, SESSION_COOKIE, s.secret, {
        httpOnly: true, sameSite: 'Strict', path: '/', maxAge: Math.floor(SESSION_TTL_MS / 1000),
        secure: new URL(c.req.url).protocol === 'https:',
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { createApp } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import { revokeToken } from '../../src/app/tokens/revoke-token.js';
import { createUser } from '../../src/app/auth/create-user.js';
import { hashPassword, verifyPassword } from '../../src/app/auth/passwords.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await openTestContext();
  app = createApp(ctx);
});
afterAll(() => ctx.drop());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const cookieOf = (res: Response) => /sopdesk_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

describe('web sign-in sessions', () => {
  it('signs in with an API token: an httpOnly, SameSite=Strict cookie that authenticates the API; sign-out ends it', async () => {
    const { token } = await createToken(ctx, { role: 'agent', name: 'Alex' });
    const res = await post('/v1/session', { token });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: 'Alex', role: 'agent' });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = `sopdesk_session=${cookieOf(res)}`;
    const me = await app.request('/v1/session', { headers: { cookie } });
    expect(await me.json()).toEqual({ name: 'Alex', role: 'agent' });
    expect((await app.request('/v1/conversations', { headers: { cookie } })).status).toBe(200);
    const out = await app.request('/v1/session', { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    const after = await app.request('/v1/conversations', { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('makes the cookie Secure behind a TLS-terminating proxy: with an https public URL, or a trusted proxy saying https', async () => {
    const { token } = await createToken(ctx, { role: 'agent', name: 'Behind a proxy' });
    const signIn = async (a: ReturnType<typeof createApp>, headers: Record<string, string> = {}) => {
      const res = await a.request('http://127.0.0.1:3000/v1/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ token }),
      });
      expect(res.status).toBe(201);
      return /;\s*Secure/i.test(res.headers.get('set-cookie') ?? '');
    };
    const proxied = { 'x-forwarded-proto': 'https' };
    // Plain HTTP, and a forwarded header nobody said to trust (any client can send it), stay as they were.
    expect(await signIn(app)).toBe(false);
    expect(await signIn(app, proxied)).toBe(false);
    expect(await signIn(createApp(ctx, { origin: { publicUrl: 'https://desk.shop.example' } }))).toBe(true);
    const trusting = createApp(ctx, { origin: { trustProxy: true } });
    expect(await signIn(trusting, proxied)).toBe(true);
    expect(await signIn(trusting, { 'x-forwarded-proto': 'https, http' })).toBe(true);
    expect(await signIn(trusting, { forwarded: 'for=192.0.2.60;proto=https;by=203.0.113.43' })).toBe(true);
    expect(await signIn(trusting, { 'x-forwarded-proto': 'http' })).toBe(false);
    expect(await signIn(trusting)).toBe(false);
  });

  it('refuses a wrong token with 401 and sets no cookie', async () => {
    const res = await post('/v1/session', { token: 'sdk_wrongwrongwrongwrong' });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await post('/v1/session', { nothing: 1 })).status).toBe(400);
  });

  it('signs in a user with email and password (scrypt hash); a wrong password is refused', async () => {
    await createUser(ctx, { email: 'Sam@Shop.example', password: 'correct horse battery', role: 'agent', name: 'Sam' });
    const good = await post('/v1/session', { email: 'sam@shop.example', password: 'correct horse battery' });
    expect(good.status).toBe(201);
    expect(await good.json()).toMatchObject({ name: 'Sam', role: 'agent' });
    expect((await post('/v1/session', { email: 'sam@shop.example', password: 'wrong password!!' })).status).toBe(401);
    await expect(
      createUser(ctx, { email: 'sam@shop.example', password: 'another password', role: 'agent' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(createUser(ctx, { email: 'x@shop.example', password: 'short', role: 'agent' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('refuses an email with 429 after 10 failed password sign-ins in 15 minutes, right password or not, until the window passes', async () => {
    await createUser(ctx, { email: 'lim@shop.example', password: 'correct horse battery', role: 'agent', name: 'Lim' });
    const start = ctx.clock.now();
    for (let i = 0; i < 10; i++)
      expect((await post('/v1/session', { email: 'lim@shop.example', password: `guess number ${i}` })).status).toBe(
        401,
      );
    const limited = await post('/v1/session', { email: 'LIM@shop.example', password: 'correct horse battery' });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string; reason: string } }).error).toMatchObject({
      code: 'rate_limited',
      reason: 'too_many_attempts',
    });
    // Another email is not held back.
    expect((await post('/v1/session', { email: 'sam@shop.example', password: 'correct horse battery' })).status).toBe(
      201,
    );
    ctx.clock.advance(15 * 60_000 + 1);
    expect((await post('/v1/session', { email: 'lim@shop.example', password: 'correct horse battery' })).status).toBe(
      201,
    );
    ctx.clock.set(start);
  });

  it('revoking the API token ends the browser sessions signed in with it', async () => {
    const { id, token } = await createToken(ctx, { role: 'agent', name: 'Leaver' });
    const cookie = `sopdesk_session=${cookieOf(await post('/v1/session', { token }))}`;
    expect((await app.request('/v1/conversations', { headers: { cookie } })).status).toBe(200);
    await revokeToken(ctx, { id });
    expect((await app.request('/v1/conversations', { headers: { cookie } })).status).toBe(401);
  });

  it('a token revoked elsewhere opens no session, and ends the sessions it opened at once, whatever the token cache holds', async () => {
    const { id, token } = await createToken(ctx, { role: 'agent', name: 'Leaver' });
    const signed = await post('/v1/session', { token });
    const cookie = `sopdesk_session=${cookieOf(signed)}`;
    expect((await app.request('/v1/session', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200); // cached now
    // Another process revokes it: this one's cache does not know.
    await ctx.database.db.execute(sql`update api_tokens set revoked_at = now() where id = ${id}`);
    expect((await post('/v1/session', { token })).status).toBe(401);
    expect((await app.request('/v1/conversations', { headers: { cookie } })).status).toBe(401);
  });

  it('refuses a write carried by the session cookie from another origin (CSRF), and takes it from the inbox itself', async () => {
    const { token } = await createToken(ctx, { role: 'agent', name: 'Browser' });
    const cookie = `sopdesk_session=${cookieOf(await post('/v1/session', { token }))}`;
    const note = (headers: Record<string, string>) =>
      app.request('/v1/conversations', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ customerId: 'cus_nobody0001', subject: 'csrf' }),
      });
    // The form a page on another site can post without asking (text/plain, no preflight) is not JSON: refused as such.
    const simple = await note({
      origin: 'http://127.0.0.1:8080',
      host: '127.0.0.1:3000',
      'content-type': 'text/plain',
    });
    expect(simple.status).toBe(415);
    const otherPort = await note({ origin: 'http://127.0.0.1:8080', host: '127.0.0.1:3000' });
    expect(otherPort.status).toBe(403);
    expect(((await otherPort.json()) as { error: { reason: string } }).error.reason).toBe('cross_origin');
    expect((await note({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    // From the inbox's own origin the request goes on (here to a 4xx about the unknown customer, not a 403).
    expect((await note({ 'sec-fetch-site': 'same-origin' })).status).not.toBe(403);
    expect((await note({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).status).not.toBe(403);
    // A bearer token is no cookie: no origin check.
    expect(
      (
        await app.request('/v1/conversations', {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            origin: 'http://elsewhere.example',
            'content-type': 'application/json',
          },
          body: '{}',
        })
      ).status,
    ).toBe(400);
  });

  it('a session expires after its time to live', async () => {
    const { token } = await createToken(ctx, { role: 'viewer', name: 'V' });
    const cookie = `sopdesk_session=${cookieOf(await post('/v1/session', { token }))}`;
    expect((await app.request('/v1/session', { headers: { cookie } })).status).toBe(200);
    ctx.clock.advance(13 * 3_600_000);
    expect((await app.request('/v1/session', { headers: { cookie } })).status).toBe(401);
  });

  it('password hashes are salted and verify only the right password', async () => {
    const a = await hashPassword('same password 1');
    const b = await hashPassword('same password 1');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('same password 1', a)).toBe(true);
    expect(await verifyPassword('same password 2', a)).toBe(false);
  });
});

describe('serving the web UI', () => {
  it('serves index.html for page paths and keeps unknown API paths as JSON 404s', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'sopdesk-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>inbox</title>');
    const web = createApp(ctx, { webRoot: root });
    const page = await web.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>inbox</title>');
    expect((await web.request('/handoffs')).status).toBe(200);
    const { token } = await createToken(ctx, { role: 'viewer', name: 'W' });
    const api = await web.request('/v1/nothing-here', { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { createApp } from '../../src/http/app.js';
import { listTokens } from '../../src/app/tokens/list-tokens.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let admin: TestApi;

beforeAll(async () => {
  ctx = await openTestContext();
  admin = await testApi(ctx, 'admin');
});
afterAll(() => ctx.drop());

describe('API tokens', () => {
  it('an admin makes a token whose secret is shown once and works at once', async () => {
    const r = await admin.request('POST', '/v1/tokens', { role: 'viewer', name: 'Dashboard' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: expect.stringMatching(/^tok_/),
      role: 'viewer',
      token: expect.stringMatching(/^sdk_/),
    });
    const res = await createApp(ctx).request('/v1/tools', { headers: { authorization: `Bearer ${r.body.token}` } });
    expect(res.status).toBe(200);
    const listed = (await admin.request('GET', '/v1/tokens')).body.tokens.find((t: any) => t.id === r.body.id);
    expect(listed).toEqual({
      id: r.body.id,
      name: 'Dashboard',
      role: 'viewer',
      customerId: null,
      createdAt: '2026-11-20T10:00:00.000Z',
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(r.body.token);
  });

  it('binds a token to one customer: it must exist, and an admin token cannot be bound', async () => {
    const customer = await admin.request('POST', '/v1/customers', {
      name: 'Bound Customer',
      emails: ['bound@example.com'],
    });
    const bound = await admin.request('POST', '/v1/tokens', { role: 'agent', customerId: customer.body.id });
    expect(bound.status).toBe(201);
    expect(bound.body.customerId).toBe(customer.body.id);
    const none = await admin.request('POST', '/v1/tokens', {
      role: 'agent',
      customerId: 'cus_00000000000000000000000000',
    });
    expect(none.status).toBe(404);
    const adminBound = await admin.request('POST', '/v1/tokens', { role: 'admin', customerId: customer.body.id });
    expect(adminBound.status).toBe(400);
    expect(adminBound.body.error.fields[0].path).toBe('customerId');
  });

  it('applies a retried create under the same Idempotency-Key once, showing the secret only the first time and storing it nowhere', async () => {
    const key = { 'idempotency-key': 'token-retry-1' };
    const first = await admin.request('POST', '/v1/tokens', { role: 'viewer', name: 'Retry' }, key);
    const again = await admin.request('POST', '/v1/tokens', { role: 'viewer', name: 'Retry' }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ id: first.body.id, role: 'viewer', customerId: null, token: null });
    expect((await listTokens(ctx)).filter((t) => t.name === 'Retry')).toHaveLength(1);
    const stored = await ctx.database.db.execute(
      sql`select response::text as r from idempotency_keys where key = 'token-retry-1'`,
    );
    expect(JSON.stringify(stored)).not.toContain(first.body.token);
    const other = await admin.request('POST', '/v1/tokens', { role: 'agent', name: 'Retry' }, key);
    expect(other.status).toBe(409);
  });

  it('refuses an unknown role with 400 naming the field', async () => {
    const r = await admin.request('POST', '/v1/tokens', { role: 'owner' });
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe('role');
  });

  it('a revoked token is refused from then on; revoking twice changes nothing', async () => {
    const made = (await admin.request('POST', '/v1/tokens', { role: 'agent' })).body;
    const revoked = await admin.request('DELETE', `/v1/tokens/${made.id}`);
    expect(revoked.body.revokedAt).toBe('2026-11-20T10:00:00.000Z');
    ctx.clock.advance(60_000);
    expect((await admin.request('DELETE', `/v1/tokens/${made.id}`)).body.revokedAt).toBe('2026-11-20T10:00:00.000Z');
    const res = await createApp(ctx).request('/v1/tools', { headers: { authorization: `Bearer ${made.token}` } });
    expect(res.status).toBe(401);
    expect((await admin.request('DELETE', '/v1/tokens/tok_nope')).status).toBe(404);
  });

  it('only an admin may list, make or revoke tokens, and a refused request makes none', async () => {
    const before = (await listTokens(ctx)).length;
    for (const role of ['agent', 'ai_agent', 'viewer'] as const) {
      const other = await admin.as(role);
      expect((await other.request('GET', '/v1/tokens')).status, role).toBe(403);
      const made = await other.request('POST', '/v1/tokens', { role: 'admin' });
      expect(made.status, role).toBe(403);
      expect(made.body.error.code).toBe('forbidden');
    }
    expect((await listTokens(ctx)).length).toBe(before + 3); // the three tokens `as()` made for the callers
  });
});

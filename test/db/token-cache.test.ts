import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestContext } from '../support/db.js';
import { createApp } from '../../src/http/app.js';
import { apiTokens } from '../../src/db/schema/index.js';
import { createToken, verifyToken } from '../../src/app/tokens/tokens.js';
import { revokeToken } from '../../src/app/tokens/revoke-token.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;

beforeAll(async () => {
  ctx = await openTestContext();
});
afterAll(() => ctx.drop());

/** What another process (a cluster worker, `sopdesk token revoke`) does: it changes the row, not this process's cache. */
const revokeElsewhere = (id: string) =>
  ctx.database.db.update(apiTokens).set({ revokedAt: '2026-11-20T10:00:00.000Z' }).where(eq(apiTokens.id, id));

describe('accepted-token cache', () => {
  it('a token accepted (and so cached) is refused right after it is revoked in the same process', async () => {
    const t = await createToken(ctx, { role: 'agent' });
    expect(await verifyToken(ctx, t.token)).toMatchObject({ tokenId: t.id, role: 'agent' });
    const app = createApp(ctx);
    const auth = { headers: { authorization: `Bearer ${t.token}` } };
    expect((await app.request('/v1/tools', auth)).status).toBe(200);
    await revokeToken(ctx, { id: t.id });
    expect(await verifyToken(ctx, t.token)).toBeUndefined();
    const refused = await app.request('/v1/tools', auth);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('a revoke by another process is not seen by this one within the cache time (the documented revocation delay); with the cache off it is', async () => {
    const t = await createToken(ctx, { role: 'viewer' });
    expect(await verifyToken(ctx, t.token)).toBeDefined();
    await revokeElsewhere(t.id);
    // The documented revocation delay (SOPDESK_TOKEN_CACHE_SECONDS, 5 s by default): this process has not been told.
    expect(await verifyToken(ctx, t.token)).toMatchObject({ tokenId: t.id });
    // With the cache off (SOPDESK_TOKEN_CACHE_SECONDS=0), every check asks the database.
    expect(await verifyToken({ ...ctx, tokenCacheMs: 0 }, t.token)).toBeUndefined();
  });

  it('keeps one cache per database: a token of one database is never accepted by another', async () => {
    const t = await createToken(ctx, { role: 'admin', secret: 'same-secret-in-two-databases' });
    expect(await verifyToken(ctx, t.token)).toMatchObject({ tokenId: t.id });
    const other = await openTestContext();
    try {
      expect(await verifyToken(other, 'same-secret-in-two-databases')).toBeUndefined();
    } finally {
      await other.drop();
    }
  });

  it('with the cache off, a token revoked by another process is refused at once', async () => {
    const off = { ...ctx, tokenCacheMs: 0 };
    const t = await createToken(off, { role: 'agent' });
    expect(await verifyToken(off, t.token)).toBeDefined();
    await revokeElsewhere(t.id);
    expect(await verifyToken(off, t.token)).toBeUndefined();
  });
});

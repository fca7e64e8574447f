/**
 * The widget API's rate limits hold across server processes: the buckets are rows, and each take is one upsert that
 * locks its row. On PostgreSQL, two connection pools (two processes, as far as the database can tell) take at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb } from '../support/db.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { TokenBuckets } from '../../src/http/rate-limit.js';
import { DomainError } from '../../src/kernel/errors.js';

let db: TestDb;
let other: Database;
const T = Date.parse('2026-11-20T10:00:00.000Z');

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 8 });
  other = db.url ? await openDatabase({ url: db.url, poolSize: 8 }) : db.database;
});
afterAll(async () => {
  if (other !== db.database) await other.close();
  await db.drop();
});

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'ok' as const,
    (e: unknown) => {
      if (e instanceof DomainError && e.code === 'rate_limited') return e.details.retryAfterSeconds as number;
      throw e;
    },
  );

describe('widget rate limits across processes', () => {
  it('two processes share one budget: of 40 concurrent takes exactly the burst gets through', async () => {
    const limit = { burst: 10, perMinute: 6 };
    const a = new TokenBuckets(db.database, 'visitorMessages', limit, 'messages from this visitor');
    const b = new TokenBuckets(other, 'visitorMessages', limit, 'messages from this visitor');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => outcome((i % 2 ? a : b).take('visitor-1', T))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    // Refused with when to come back: one token every 10 s.
    expect(results.filter((r) => r !== 'ok').every((r) => r === 10)).toBe(true);
    // Another key has its own bucket.
    expect(await outcome(b.take('visitor-2', T))).toBe('ok');
  });

  it('refills with the injected clock, up to the burst, whichever process took last', async () => {
    const limit = { burst: 2, perMinute: 60 };
    const a = new TokenBuckets(db.database, 'ipNewVisitors', limit, 'new chats from this address');
    const b = new TokenBuckets(other, 'ipNewVisitors', limit, 'new chats from this address');
    expect([await outcome(a.take('203.0.113.9', T)), await outcome(b.take('203.0.113.9', T))]).toEqual(['ok', 'ok']);
    expect(await outcome(a.take('203.0.113.9', T + 500))).toBe(1);
    expect(await outcome(b.take('203.0.113.9', T + 1000))).toBe('ok');
    // A long pause refills no more than the burst.
    const later = T + 3_600_000;
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await outcome((i % 2 ? a : b).take('203.0.113.9', later)));
    expect(after).toEqual(['ok', 'ok', 1]);
  });
});

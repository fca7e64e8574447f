/**
 * Token buckets, one per key (an IP address, a visitor), kept in the database (`rate_limit_buckets`), so a cluster of
 * SOPDESK_WORKERS processes on PostgreSQL counts one budget, as one process does: a keep-alive connection sticks to
 * one worker, but a client that opens many connections would otherwise get a budget per worker. Each take is one
 * upsert statement that locks its row (src/db/repo/rate-limits.ts). Time comes from the caller (the injected clock).
 */
import type { Database } from '../db/database.js';
import { pruneBuckets, takeBucketToken } from '../db/repo/rate-limits.js';
import { DomainError } from '../kernel/errors.js';
import type { RateLimit } from '../kernel/limits.js';

/** Every this many takes, a bucket set forgets the keys whose buckets refilled. */
const PRUNE_EVERY = 1000;

export class TokenBuckets {
  private takes = 0;
  constructor(
    private readonly database: Database,
    /** The limit's name, in the refusal (`limit`) and the table: e.g. visitorMessages. */
    private readonly name: string,
    private readonly limit: RateLimit,
    /** Says what was limited, in the refusal: "messages from this visitor". */
    private readonly what: string,
  ) {}

  /** Takes one token for `key`, or throws rate_limited saying when to try again. */
  async take(key: string, nowMs: number): Promise<void> {
    const { burst, perMinute } = this.limit;
    const perMs = perMinute / 60_000;
    if (++this.takes % PRUNE_EVERY === 0)
      await pruneBuckets(this.database.db, this.name, nowMs - Math.ceil(burst / perMs));
    const r = await takeBucketToken(this.database.db, { bucket: this.name, key, burst, perMs, nowMs });
    if (r.ok) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - r.tokens) / perMs / 1000));
    throw new DomainError('rate_limited', `Too many ${this.what}; try again in ${retryAfterSeconds} s.`, {
      reason: 'rate_limited',
      limit: this.name,
      retryAfterSeconds,
    });
  }
}

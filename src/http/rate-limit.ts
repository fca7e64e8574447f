/**
 * In-process token buckets, one per key (an IP address, a visitor). Kept in memory per server process: a cluster of
 * SOPDESK_WORKERS processes allows each its own budget. Time comes from the caller (the injected clock).
 */
import { DomainError } from '../kernel/errors.js';
import type { RateLimit } from '../kernel/limits.js';

/** Keys tracked at most; past that, buckets that refilled are forgotten (a full bucket is the same as none). */
const MAX_KEYS = 50_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    /** The limit's name, in the refusal (`limit`): e.g. visitorMessages. */
    private readonly name: string,
    private readonly limit: RateLimit,
    /** Says what was limited, in the refusal: "messages from this visitor". */
    private readonly what: string,
  ) {}

  /** Takes one token for `key`, or throws rate_limited saying when to try again. */
  take(key: string, nowMs: number): void {
    const { burst, perMinute } = this.limit;
    const perMs = perMinute / 60_000;
    const b = this.buckets.get(key);
    const tokens = b ? Math.min(burst, b.tokens + (nowMs - b.at) * perMs) : burst;
    if (tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
      throw new DomainError('rate_limited', `Too many ${this.what}; try again in ${retryAfterSeconds} s.`, {
        reason: 'rate_limited',
        limit: this.name,
        retryAfterSeconds,
      });
    }
    if (!b && this.buckets.size >= MAX_KEYS) this.sweep(nowMs);
    this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
  }

  private sweep(nowMs: number): void {
    const full = this.limit.burst / (this.limit.perMinute / 60_000);
    for (const [k, b] of this.buckets) if (nowMs - b.at >= full) this.buckets.delete(k);
    if (this.buckets.size >= MAX_KEYS) this.buckets.clear();
  }
}

/**
 * Accepted tokens, remembered for a few seconds so a request does not need its own query to check its token.
 * Keyed by token hash, one cache per database (tests open many databases in one process). Only accepted tokens are
 * kept: a new token works at once. A revoke in this process forgets the token at once; another process (a cluster
 * worker, the CLI) keeps accepting a revoked token for at most the TTL — the documented revocation delay.
 */
import type { Database } from '../../db/database.js';
import type { Principal } from './tokens.js';

/** Default time an accepted token is trusted without asking the database again, in milliseconds. */
export const DEFAULT_TOKEN_CACHE_MS = 5_000;
/** More distinct live tokens than this in a few seconds is not a support team: start over rather than grow. */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  /** performance.now() after which the database is asked again (a monotonic clock: wall-clock jumps don't matter). */
  expires: number;
}

const caches = new WeakMap<Database, Map<string, Entry>>();

function cacheOf(database: Database): Map<string, Entry> {
  let c = caches.get(database);
  if (!c) caches.set(database, (c = new Map()));
  return c;
}

export function cachedPrincipal(database: Database, tokenHash: string): Principal | undefined {
  const c = caches.get(database);
  const e = c?.get(tokenHash);
  if (!c || !e) return undefined;
  if (performance.now() >= e.expires) {
    c.delete(tokenHash);
    return undefined;
  }
  return e.principal;
}

export function rememberPrincipal(database: Database, tokenHash: string, principal: Principal, ttlMs: number): void {
  if (ttlMs <= 0) return;
  const c = cacheOf(database);
  if (c.size >= MAX_ENTRIES) c.clear();
  c.set(tokenHash, { principal, expires: performance.now() + ttlMs });
}

/** Forgets a token in this process, e.g. right after it was revoked. */
export function forgetToken(database: Database, tokenId: string): void {
  const c = caches.get(database);
  if (!c) return;
  for (const [h, e] of c) if (e.principal.tokenId === tokenId) c.delete(h);
}

import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { FixedClock, systemClock } from '../kernel/clock.js';
import type { AppContext } from '../app/context.js';
import type { Config } from './config.js';
import { builtinIms, openIms } from '../connectors/ims/index.js';
import { shopifyAdmin } from '../connectors/shopify/admin-client.js';

/** The composition root: the one place that wires the database, the clock and the connectors into an AppContext. */
export async function openContext(config: Config): Promise<AppContext> {
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl, poolSize: config.poolSize } : { dataDir: join(config.dataDir, 'pgdata') },
  );
  return {
    database, clock: systemClock, ims: openIms({ url: config.imsUrl, token: config.imsToken, database, clock: systemClock }),
    shopify: config.shopify && shopifyAdmin(config.shopify), tokenCacheMs: config.tokenCacheSeconds * 1000,
  };
}

/** A fresh in-memory embedded database on a clock standing at `now`, for `sopdesk sop test` (one per scenario). */
export async function openScratchContext(now: string): Promise<AppContext & { clock: FixedClock; close(): Promise<void> }> {
  const database = await openDatabase();
  const clock = new FixedClock(now);
  // Scenarios run on the built-in IMS stand-in, never on a real one (SOPDESK_IMS_URL is ignored here), and never push to Shopify.
  return { database, clock, ims: builtinIms(database, clock), close: () => database.close() };
}

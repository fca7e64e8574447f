import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { systemClock } from '../kernel/clock.js';
import type { AppContext } from '../app/context.js';
import type { Config } from './config.js';

/** The composition root: the one place that wires the database and the clock into an AppContext. */
export async function openContext(config: Config): Promise<AppContext> {
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl, poolSize: config.poolSize } : { dataDir: join(config.dataDir, 'pgdata') },
  );
  return { database, clock: systemClock, tokenCacheMs: config.tokenCacheSeconds * 1000 };
}

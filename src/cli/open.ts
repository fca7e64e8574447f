import { join } from 'node:path';
import { openDatabase } from '../db/database.js';
import { FixedClock, systemClock } from '../kernel/clock.js';
import type { AppContext } from '../app/context.js';
import type { Config } from './config.js';
import { builtinIms, openIms } from '../connectors/ims/index.js';
import { shopifyAdmin } from '../connectors/shopify/admin-client.js';
import { koganClient } from '../connectors/kogan/client.js';
import { storeTemplate } from './prepare.js';
import { acquireStoreLock, describeOwner, StoreBusyError, type StoreLock, type StoreOwner } from './store-lock.js';

/** What a process refused the embedded store is told to do instead, by what it wanted and what holds the store. */
export function busyMessage(dataDir: string, owner: StoreOwner, command: string): string {
  const held = `the embedded store in ${dataDir} is in use by ${describeOwner(owner)}`;
  const elsewhere = 'or run it on a PostgreSQL server (DATABASE_URL), which any number of processes share';
  if (owner.command === 'start') {
    const at = owner.url ? ` at ${owner.url}` : '';
    if (command === 'start') {
      return `a server is already running on this store${at} (pid ${owner.pid}). Use that one, or stop it first (Ctrl-C in its terminal, or \`kill ${owner.pid}\`); to run a second server, give it another SOPDESK_DATA_DIR, ${elsewhere}.`;
    }
    if (command === 'sop run')
      return `${held}${at}. Run the SOP there: in the web UI, or over the API (POST /v1/sop-runs, docs/api.md); or stop the server first.`;
    return `${held}${at}; stop it first, ${elsewhere}.`;
  }
  const mcpHost =
    owner.command === 'mcp'
      ? ', which an MCP host (Claude Desktop, an agent framework) started: quit that host, start the server, and then `sopdesk mcp` goes through the server'
      : '';
  return `${held}${mcpHost}. One process owns an embedded store: run this again when it has finished, ${elsewhere}.`;
}

export interface OpenOptions {
  /** What this process runs (`start`, `import`, `token create`…): recorded as the store's owner, named when refused. */
  command?: string;
}

/**
 * The composition root: the one place that wires the database, the clock and the connectors into an AppContext.
 * An embedded store is taken for this process first (src/cli/store-lock.ts) and given up when the database closes;
 * a store another live process owns is refused with a StoreBusyError that says what to do instead.
 */
export async function openContext(
  config: Config,
  opts: OpenOptions = {},
): Promise<AppContext & { storeLock?: StoreLock | undefined }> {
  const command = opts.command ?? 'start';
  let lock: StoreLock | undefined;
  if (!config.databaseUrl) {
    try {
      lock = acquireStoreLock(config.dataDir, command);
    } catch (e) {
      if (e instanceof StoreBusyError) throw new StoreBusyError(e.owner, busyMessage(config.dataDir, e.owner, command));
      throw e;
    }
  }
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(
      config.databaseUrl
        ? { url: config.databaseUrl, poolSize: config.poolSize }
        : { dataDir: join(config.dataDir, 'pgdata'), template: storeTemplate },
    );
  } catch (e) {
    lock?.release();
    throw e;
  }
  const close = opened.close;
  const database = lock ? { ...opened, close: () => close().finally(() => lock.release()) } : opened;
  return {
    database,
    clock: systemClock,
    ims: openIms({ url: config.imsUrl, token: config.imsToken, database, clock: systemClock }),
    shopify: config.shopify && shopifyAdmin(config.shopify),
    kogan: config.kogan && koganClient(config.kogan),
    tokenCacheMs: config.tokenCacheSeconds * 1000,
    storeLock: lock,
  };
}

/** A fresh in-memory embedded database on a clock standing at `now`, for `sopdesk sop test` (one per scenario). */
export async function openScratchContext(
  now: string,
): Promise<AppContext & { clock: FixedClock; close(): Promise<void> }> {
  const database = await openDatabase();
  const clock = new FixedClock(now);
  // Scenarios run on the built-in IMS stand-in, never on a real one (SOPDESK_IMS_URL is ignored here), and never push to Shopify.
  return { database, clock, ims: builtinIms(database, clock), close: () => database.close() };
}

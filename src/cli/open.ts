import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { openDatabase } from '../db/database.js';
import { FixedClock, systemClock } from '../kernel/clock.js';
import type { AppContext } from '../app/context.js';
import type { Config } from './config.js';
import { builtinIms, openIms } from '../connectors/ims/index.js';
import { shopifyAdmin } from '../connectors/shopify/admin-client.js';
import { koganClient } from '../connectors/kogan/client.js';
import { mondayBoard } from '../connectors/monday/client.js';
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

/**
 * The embedded store is PostgreSQL compiled to WebAssembly. V8 runs each function first as its baseline compiler made it
 * and re-compiles one that has run long enough with its optimising compiler, on background threads. At V8's default
 * threshold PostgreSQL's own start — work done once per open — makes a few dozen functions "hot", some of them huge:
 * about 1.1 s of CPU per start, spent on the cores the start itself needs (a restart's whole process used 2.2 s). At
 * this threshold (about 280 times V8's 1.8 M) a start optimises nearly nothing, while a function that runs hot in
 * service still is: the same heavy query, repeated, ran as fast as at the default from its third run on; a stream of
 * small queries ran some 10–20% slower over its first 12,000 (noisy figures from a shared machine), and less after.
 * A restart's whole process went from 2.9 s to 1.7 s of CPU until /health answered.
 * A threshold the user gave node (`node --wasm-tiering-budget=N`) is kept: then there is no flag to set.
 */
export function wasmTieringFlag(execArgv: readonly string[] = process.execArgv): string | undefined {
  return execArgv.some((a) => /^--wasm[-_]tiering[-_]budget(=|$)/.test(a))
    ? undefined
    : `--wasm-tiering-budget=${500_000_000}`;
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
    // Read when PGlite's module is instantiated: before the store opens.
    const tiering = wasmTieringFlag();
    if (tiering) setFlagsFromString(tiering);
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
    webhookDisableAfter: config.webhooks.disableAfter,
    webhookReceivers: { allowPrivate: config.webhooks.allowPrivate },
    workBoard: config.monday && {
      boardId: config.monday.boardId,
      groupId: config.monday.groupId,
      columns: config.monday.columns,
      port: mondayBoard({ token: config.monday.token, apiUrl: config.monday.apiUrl }),
    },
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

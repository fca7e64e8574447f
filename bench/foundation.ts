/**
 * The foundation's figures: import throughput beside plain COPY, order and customer reads over HTTP beside
 * `pgbench -S`, and the embedded start time and memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { cli, load, log, pgbench, scratchDatabase, startServer } from './lib.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const CUSTOMERS = Math.max(1, Math.round(ORDERS / 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Tables a snapshot fills, parents first, so COPY loads them in an order the foreign keys accept. */
const TABLES = [
  'customers',
  'customer_emails',
  'customer_addresses',
  'customer_external_ids',
  'payment_methods',
  'products',
  'variants',
  'orders',
  'order_lines',
  'payment_transactions',
  'packages',
  'package_items',
  'access_codes',
];

export async function importBench(dir: string, file: string) {
  const db = await scratchDatabase('import');
  try {
    let t = performance.now();
    cli(['import', file], { DATABASE_URL: db.url });
    const importMs = performance.now() - t;

    // The same rows, dumped from the imported database and loaded with COPY into an empty schema.
    const copyDb = await scratchDatabase('copy');
    try {
      await (await openDatabase({ url: copyDb.url, poolSize: 1 })).close();
      for (const table of TABLES)
        execFileSync('psql', [db.url, '-qc', `\\copy ${table} to '${join(dir, table)}.copy'`]);
      t = performance.now();
      execFileSync('psql', [
        copyDb.url,
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        'begin',
        ...TABLES.flatMap((x) => ['-c', `\\copy ${x} from '${join(dir, x)}.copy'`]),
        '-c',
        'commit',
      ]);
      const copyMs = performance.now() - t;
      return {
        orders: ORDERS,
        snapshotMiB: Math.round(statSync(file).size / 2 ** 20),
        importSeconds: +(importMs / 1000).toFixed(2),
        importOrdersPerSecond: Math.round(ORDERS / (importMs / 1000)),
        copySeconds: +(copyMs / 1000).toFixed(2),
        copyOrdersPerSecond: Math.round(ORDERS / (copyMs / 1000)),
        note: 'import time is the whole `sopdesk import FILE` command (process start, migrations check, parse, validate, insert, commit)',
      };
    } finally {
      await copyDb.drop();
    }
  } finally {
    await db.drop();
  }
}

export async function readsBench(file: string) {
  const db = await scratchDatabase('reads');
  try {
    cli(['import', file], { DATABASE_URL: db.url });
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const orderIds = (await c.query<{ id: string }>('select id from orders order by random() limit 5000')).rows.map(
      (r) => r.id,
    );
    const emails = (
      await c.query<{ email: string }>('select email from customer_emails order by random() limit 5000')
    ).rows.map((r) => r.email);
    await c.end();
    const server = await startServer({ DATABASE_URL: db.url, SOPDESK_DEMO: 'false' }, 3901);
    try {
      let i = 0;
      await load({
        url: server.url,
        connections: 32,
        seconds: 2,
        next: () => ({ path: `/v1/orders/${orderIds[i++ % orderIds.length]}` }),
      });
      const orderDetails = await load({
        url: server.url,
        connections: 32,
        seconds: SECONDS,
        next: () => ({ path: `/v1/orders/${orderIds[i++ % orderIds.length]}` }),
      });
      const customerLookup = await load({
        url: server.url,
        connections: 32,
        seconds: SECONDS,
        next: () => ({ path: `/v1/customers?email=${encodeURIComponent(emails[i++ % emails.length]!)}` }),
      });
      return {
        orderDetails,
        customerLookup,
        serverRssMiB: server.rssMiB(),
        pgbenchSelectOnly: await pgbench('select-only', 32, SECONDS),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await db.drop();
  }
}

export async function embeddedStartBench() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sopdesk-bench-start-'));
  try {
    const first = await startServer({ SOPDESK_DATA_DIR: dataDir }, 3902, 'npm');
    const firstMs = first.readyMs;
    await first.stop();
    const runs: number[] = [];
    let rss = 0;
    for (let k = 0; k < 3; k++) {
      const s = await startServer({ SOPDESK_DATA_DIR: dataDir }, 3902, 'npm');
      runs.push(s.readyMs);
      await fetch(`${s.url}/health`);
      rss = s.rssMiB();
      await s.stop();
    }
    return {
      firstStartWithDemoMs: Math.round(firstMs),
      restartMs: runs.map(Math.round),
      restartMedianMs: Math.round(runs.sort((a, b) => a - b)[1]!),
      serverRssMiB: rss,
      note: 'from spawning `npm start` to the first 200 from GET /health, on an existing data dir',
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function foundation() {
  const dir = mkdtempSync(join(tmpdir(), 'sopdesk-bench-'));
  try {
    const file = join(dir, 'store.jsonl');
    log(`demo store: ${CUSTOMERS} customers, ${ORDERS} orders → ${file}`);
    cli(['demo', '--customers', String(CUSTOMERS), '--orders', String(ORDERS), '--seed', '1', '--out', file], {});
    log('import vs COPY');
    const importResult = await importBench(dir, file);
    log('reads over HTTP vs pgbench -S');
    const reads = await readsBench(file);
    log('embedded start');
    const start = await embeddedStartBench();
    return { import: importResult, reads, embeddedStart: start };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

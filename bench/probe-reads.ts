/**
 * `tsx bench/probe-reads.ts DATABASE_URL [seconds] [--pgbench]`: the two reads of `npm run bench` (order details and
 * customer lookup, 32 connections) against a database that already has data (e.g. from bench/seed-reads.ts), plus
 * where the CPU went per request: the server process group, this database's PostgreSQL backends, and the load
 * generator. On a shared machine requests per second move with the neighbours; CPU per request moves much less, so
 * compare changes by it. Server settings come from the environment (SOPDESK_POOL_SIZE, SOPDESK_WORKERS, …).
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { load, pgbench, startServer, type LoadResult } from './lib.js';

const args = process.argv.slice(2).filter((a) => a !== '--pgbench');
const [url, secs] = args;
if (!url) {
  process.stderr.write('usage: tsx bench/probe-reads.ts DATABASE_URL [seconds] [--pgbench]\n');
  process.exit(2);
}
const SECONDS = Number(secs ?? 10);
const dbName = new URL(url).pathname.slice(1);

const c = new pg.Client({ connectionString: url });
await c.connect();
const orderIds = (await c.query<{ id: string }>('select id from orders order by random() limit 5000')).rows.map(
  (r) => r.id,
);
const emails = (
  await c.query<{ email: string }>('select email from customer_emails order by random() limit 5000')
).rows.map((r) => r.email);
await c.end();

/** CPU seconds so far of the server's process group, this database's backends and this process. */
function cpu(serverPgid: number): Record<'srv' | 'pg' | 'load', number> {
  const t = { srv: 0, pg: 0, load: 0 };
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(')').pop()!.trim().split(' ');
      const k = cmd.includes(`postgres ${dbName} `)
        ? 'pg'
        : Number(f[2]) === serverPgid
          ? 'srv'
          : Number(p) === process.pid
            ? 'load'
            : undefined;
      if (k) t[k] += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return t;
}

const server = await startServer({ DATABASE_URL: url, SOPDESK_DEMO: 'false' }, 3911);
try {
  let i = 0;
  const order = () => ({ path: `/v1/orders/${orderIds[i++ % orderIds.length]}` });
  const customer = () => ({ path: `/v1/customers?email=${encodeURIComponent(emails[i++ % emails.length]!)}` });
  const measured = async (
    next: () => { path: string },
  ): Promise<LoadResult & { cpuMicrosPerRequest: Record<string, number> }> => {
    const a = cpu(server.pid);
    const r = await load({ url: server.url, connections: 32, seconds: SECONDS, next });
    const b = cpu(server.pid);
    const us = (k: 'srv' | 'pg' | 'load') => Math.round(((b[k] - a[k]) / r.requests) * 1e6);
    return { ...r, cpuMicrosPerRequest: { server: us('srv'), postgres: us('pg'), loadGenerator: us('load') } };
  };
  await load({ url: server.url, connections: 32, seconds: 2, next: order });
  await load({ url: server.url, connections: 32, seconds: 1, next: customer });
  const out: Record<string, unknown> = {
    loadAverage: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    orderDetails: await measured(order),
    customerLookup: await measured(customer),
    serverRssMiB: server.rssMiB(),
  };
  if (process.argv.includes('--pgbench')) out.pgbenchSelectOnly = await pgbench('select-only', 32, SECONDS);
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  await server.stop();
}

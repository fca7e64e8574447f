/**
 * Shared parts of `npm run bench`: scratch databases, the server under test as a child process,
 * HTTP load with autocannon, pgbench beside it, and the machine the figures were taken on.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import type { FakeShopify } from '../test/support/fake-shopify.js';

export const PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const ROOT = new URL('..', import.meta.url).pathname;
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_BASE });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh database on the server for one bench section; `drop()` removes it. */
export async function scratchDatabase(label: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `sopdesk_bench_${label}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return { name, url: u.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

/** Runs the sopdesk CLI to completion and returns its stdout. */
export function cli(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export interface Server {
  url: string;
  pid: number;
  /** Resident memory of the server process, in MiB. */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** CPU time (user + system, every thread) that a process group's live processes have used, in ms; Linux only. */
export interface GroupCpu {
  /** Every process of the group: npm, its shell and the server. */
  totalMs: number;
  /** The server alone (the node process running the sopdesk CLI). */
  serverMs: number;
}

const CLK_TCK = 100; // USER_HZ, 100 on every Linux that node supports

export function groupCpu(pgid: number): GroupCpu {
  let totalMs = 0;
  let serverMs = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name (which may hold spaces): state, ppid, pgrp, …, utime (14th), stime (15th).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) !== pgid) continue;
    const ms = ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
    totalMs += ms;
    if (/src\/cli\/main\.ts|bin\/sopdesk\.js/.test(cmdline.replaceAll('\0', ' '))) serverMs += ms;
  }
  return { totalMs, serverMs };
}

/**
 * Starts the server — `npm start` exactly as a user types it, or the CLI directly — and resolves once
 * GET /health answers 200; `readyMs` is measured from spawn, `readyCpu` is the CPU time the server's process group
 * had used by then.
 */
export async function startServer(
  env: Record<string, string>,
  port: number,
  via: 'npm' | 'cli' = 'cli',
): Promise<Server & { startedAt: number; readyMs: number; readyCpu: GroupCpu }> {
  const t0 = performance.now();
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server; node refuses them in NODE_OPTIONS.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const [cmd, args] =
    via === 'npm'
      ? ['npm', ['start', '--silent']]
      : [process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', 'start']];
  const child: ChildProcess = spawn(cmd, args as string[], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SOPDESK_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - t0;
  const readyCpu = groupCpu(child.pid!);
  return {
    url,
    pid: child.pid!,
    startedAt: t0,
    readyMs,
    readyCpu,
    rssMiB: () => treeRssMiB(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        process.kill(-child.pid!, 'SIGTERM');
      }),
  };
}

/** Resident memory of the server: the node process serving requests (npm's own wrapper excluded). */
function treeRssMiB(pid: number): number {
  const out = execFileSync('ps', ['-o', 'pid=,rss=,args=', '-g', String(pid)], { encoding: 'utf8' });
  const server = out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length > 2 && /src\/cli\/main\.ts|bin\/sopdesk\.js/.test(f.slice(2).join(' ')));
  const kib = server.reduce((a, f) => a + Number(f[1]), 0);
  return Math.round(kib / 1024);
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  non2xx: number;
}

/** HTTP load at `connections` concurrent connections; `next()` gives each request's method, path and body. */
export async function load(opts: {
  url: string;
  connections: number;
  seconds: number;
  next: () => { method?: 'GET' | 'POST'; path: string; body?: unknown; headers?: Record<string, string> };
  token?: string;
}): Promise<LoadResult> {
  const token = opts.token ?? ADMIN_TOKEN;
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        setupRequest: (req: autocannon.Request): autocannon.Request => {
          const n = opts.next();
          return {
            ...req,
            method: n.method ?? 'GET',
            path: n.path,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(n.headers ?? {}) },
            ...(n.body !== undefined ? { body: JSON.stringify(n.body) } : {}),
          };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export interface PgbenchResult {
  mode: string;
  clients: number;
  tps: number;
  latencyAvgMs: number;
}

/** pgbench against a scratch database: `-S` (select-only) or the default TPC-B-like script. */
export async function pgbench(mode: 'select-only' | 'tpcb', clients: number, seconds: number): Promise<PgbenchResult> {
  const db = await scratchDatabase('pgbench');
  try {
    execFileSync('pgbench', ['-i', '-q', '-s', '10', db.url], { stdio: ['ignore', 'ignore', 'ignore'] });
    return runPgbench(mode, [...(mode === 'select-only' ? ['-S'] : [])], db.url, clients, seconds);
  } finally {
    await db.drop();
  }
}

/** pgbench running a script of ours (prepared statements, like sopdesk's) against a database that has its tables. */
export function pgbenchScript(
  file: string,
  vars: Record<string, string | number>,
  url: string,
  clients: number,
  seconds: number,
): PgbenchResult {
  const defines = Object.entries(vars).flatMap(([k, v]) => ['-D', `${k}=${v}`]);
  return runPgbench(file, ['-n', '-M', 'prepared', '-f', file, ...defines], url, clients, seconds);
}

function runPgbench(mode: string, args: string[], url: string, clients: number, seconds: number): PgbenchResult {
  const out = execFileSync('pgbench', [...args, '-c', String(clients), '-j', '2', '-T', String(seconds), url], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tps = /tps = ([\d.]+)/.exec(out);
  const lat = /latency average = ([\d.]+) ms/.exec(out);
  return { mode, clients, tps: Math.round(Number(tps?.[1] ?? NaN)), latencyAvgMs: Number(lat?.[1] ?? NaN) };
}

export function machine() {
  const pgVersion = execFileSync('psql', [PG_BASE, '-tAc', 'show server_version'], { encoding: 'utf8' }).trim();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: pgVersion,
    date: new Date().toISOString(),
  };
}

/**
 * The Shopify benches' workload: `orders` orders placed on the fake shop the tests use (a few dozen products, so that
 * orders share them as a sale's orders do, and new customers throughout), their deliveries held and returned.
 */
export async function heldShopifyDeliveries(shop: FakeShopify, orders: number) {
  shop.hold();
  for (let i = 0; i < orders; i++) {
    await shop.placeOrder({
      lines: [
        {
          sku: `BENCH-${i % 40}`,
          productId: 7000 + (i % 40),
          title: `Product ${i % 40}`,
          quantity: 1 + (i % 3),
          price: `${10 + (i % 40)}.00`,
        },
      ],
      customer: { email: `buyer${i % Math.ceil(orders / 2)}@example.com`, firstName: 'Buyer', lastName: String(i) },
      shipping: '5.00',
    });
  }
  return shop.release();
}

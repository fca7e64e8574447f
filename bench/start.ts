/**
 * `npm run bench -- start`: how soon `npm start` answers on the embedded store, as a new user meets it — the first
 * start on a fresh data dir (the demo store loaded; the web UI built by `npm ci`, as `prepare`), a restart after a
 * clean stop, and a reopen after the server was killed with SIGKILL — each several times on fresh data dirs, with
 * pgbench's TPC-B run right after on the same machine, so the figures say how busy the machine was.
 *
 * Each start records two moments, from spawning `npm start`: the first 200 from GET /health (the store open, its
 * schema current), and the first answer of the API itself (an authenticated GET /v1/tokens, which waits for the HTTP
 * stack that loads behind /health). Beside each, the CPU time (user + system, all threads) that npm and the server
 * had used by then: on a shared machine wall time measures the neighbours as much as the start, CPU time much less.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, groupCpu, log, pgbench, startServer, type Server } from './lib.js';
import { webBuildIsStale } from '../src/cli/web-build.js';
import { storeOwner } from '../src/cli/store-lock.js';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const PORT = 3903;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
};

/** npm exits before the server under it has closed the store: wait until the store is free (released, or its owner gone). */
async function storeFree(dataDir: string): Promise<void> {
  while (storeOwner(dataDir)) await new Promise((r) => setTimeout(r, 10));
}

/** SIGKILL to the whole group: npm and the server under it, as a crash or an OOM kill would. */
async function kill9(server: Server & { pid: number }, dataDir: string): Promise<void> {
  process.kill(-server.pid, 'SIGKILL');
  await storeFree(dataDir);
}

/** A few writes, so a reopen after SIGKILL has something since the last checkpoint to recover. */
async function someWrites(url: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await fetch(`${url}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer', name: `bench ${i}` }),
    });
  }
}

interface StartFigures {
  /** Wall time to the first 200 from GET /health, and to the first 200 from the authenticated API. */
  healthMs: number;
  apiMs: number;
  /** CPU time of npm and the server together, and of the server alone, by each of those moments. */
  healthCpuMs: number;
  healthServerCpuMs: number;
  apiCpuMs: number;
  apiServerCpuMs: number;
}

/** Starts `npm start` and waits for /health and then the API's first answer. */
async function measuredStart(env: Record<string, string>): Promise<{ server: Server; figures: StartFigures }> {
  const server = await startServer(env, PORT, 'npm');
  // Any request but /health waits while the API loads (src/cli/start.ts): the first one answers once it is there.
  const r = await fetch(`${server.url}/v1/tokens`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  await r.arrayBuffer();
  const cpu = groupCpu(server.pid);
  if (r.status !== 200) throw new Error(`GET /v1/tokens answered ${r.status}`);
  const apiMs = performance.now() - server.startedAt;
  return {
    server,
    figures: {
      healthMs: Math.round(server.readyMs),
      apiMs: Math.round(apiMs),
      healthCpuMs: server.readyCpu.totalMs,
      healthServerCpuMs: server.readyCpu.serverMs,
      apiCpuMs: cpu.totalMs,
      apiServerCpuMs: cpu.serverMs,
    },
  };
}

const show = (f: StartFigures) =>
  `${f.healthMs} ms (cpu ${f.healthCpuMs}, server ${f.healthServerCpuMs}), api ${f.apiMs} ms (cpu ${f.apiCpuMs})`;

function summary(runs: StartFigures[]) {
  const med = (k: keyof StartFigures) => median(runs.map((r) => r[k]));
  return {
    healthMedianMs: med('healthMs'),
    apiMedianMs: med('apiMs'),
    healthCpuMedianMs: med('healthCpuMs'),
    healthServerCpuMedianMs: med('healthServerCpuMs'),
    apiCpuMedianMs: med('apiCpuMs'),
    apiServerCpuMedianMs: med('apiServerCpuMs'),
    runs,
  };
}

export async function startBench() {
  if (webBuildIsStale())
    throw new Error('dist/web is older than web/: run `npm ci` (or `npm run build:web`) first, as a new user has');
  const first: StartFigures[] = [];
  const restart: StartFigures[] = [];
  const afterKill: StartFigures[] = [];
  for (let k = 0; k < RUNS; k++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sopdesk-bench-start-'));
    try {
      const env = { SOPDESK_DATA_DIR: dataDir };
      const a = await measuredStart(env);
      first.push(a.figures);
      await someWrites(a.server.url);
      await a.server.stop();
      await storeFree(dataDir);
      const b = await measuredStart(env);
      restart.push(b.figures);
      await someWrites(b.server.url);
      await kill9(b.server, dataDir);
      const c = await measuredStart(env);
      afterKill.push(c.figures);
      await c.server.stop();
      await storeFree(dataDir);
      log(`run ${k + 1}: first ${show(a.figures)}`);
      log(`run ${k + 1}: restart ${show(b.figures)}`);
      log(`run ${k + 1}: after kill -9 ${show(c.figures)}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  log('pgbench TPC-B, 8 clients, 10 s');
  const pgbenchTpcb = await pgbench('tpcb', 8, 10);
  const firstStart = summary(first);
  const restarted = summary(restart);
  const reopened = summary(afterKill);
  return {
    runs: RUNS,
    // The figures earlier runs recorded, kept under their names: wall time to the first 200 from /health.
    firstStartMedianMs: firstStart.healthMedianMs,
    restartMedianMs: restarted.healthMedianMs,
    afterKillMedianMs: reopened.healthMedianMs,
    firstStart,
    restart: restarted,
    afterKill: reopened,
    pgbenchTpcb,
    note: 'from spawning `npm start`: wall time to the first 200 from GET /health and from an authenticated GET /v1/tokens; CPU ms (user + system, all threads) of npm and the server by then, and of the server alone; each run on a fresh data dir: first start (demo store loaded), 20 writes, clean stop, restart, 20 writes, SIGKILL, reopen',
  };
}

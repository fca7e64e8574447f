/**
 * `npm run bench -- start`: how soon `npm start` answers GET /health on the embedded store, as a new user meets it —
 * the first start on a fresh data dir (the demo store loaded; the web UI built by `npm ci`, as `prepare`), a restart
 * after a clean stop, and a reopen after the server was killed with SIGKILL — each several times on fresh data dirs,
 * with pgbench's TPC-B run right after on the same machine, so the figures say how busy the machine was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, pgbench, startServer, type Server } from './lib.js';
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
      headers: { authorization: 'Bearer bench-admin-token-0123456789abcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'viewer', name: `bench ${i}` }),
    });
  }
}

export async function startBench() {
  if (webBuildIsStale())
    throw new Error('dist/web is older than web/: run `npm ci` (or `npm run build:web`) first, as a new user has');
  const first: number[] = [];
  const restart: number[] = [];
  const afterKill: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sopdesk-bench-start-'));
    try {
      const env = { SOPDESK_DATA_DIR: dataDir };
      const a = await startServer(env, PORT, 'npm');
      first.push(a.readyMs);
      await someWrites(a.url);
      await a.stop();
      await storeFree(dataDir);
      const b = await startServer(env, PORT, 'npm');
      restart.push(b.readyMs);
      await someWrites(b.url);
      await kill9(b, dataDir);
      const c = await startServer(env, PORT, 'npm');
      afterKill.push(c.readyMs);
      await c.stop();
      await storeFree(dataDir);
      log(
        `run ${k + 1}: first ${Math.round(a.readyMs)} ms, restart ${Math.round(b.readyMs)} ms, after kill -9 ${Math.round(c.readyMs)} ms`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  log('pgbench TPC-B, 8 clients, 10 s');
  const pgbenchTpcb = await pgbench('tpcb', 8, 10);
  return {
    runs: RUNS,
    firstStartMs: first.map(Math.round),
    restartMs: restart.map(Math.round),
    afterKillMs: afterKill.map(Math.round),
    firstStartMedianMs: median(first),
    restartMedianMs: median(restart),
    afterKillMedianMs: median(afterKill),
    pgbenchTpcb,
    note: 'from spawning `npm start` to the first 200 from GET /health; each run on a fresh data dir: first start (demo store loaded), 20 writes, clean stop, restart, 20 writes, SIGKILL, reopen',
  };
}

/**
 * `sopdesk start` with SOPDESK_WORKERS > 1 on a PostgreSQL server: several server processes share the port (node's
 * cluster module), each with its own connection pool, so request handling is not bound to one core. The primary
 * migrates the schema, loads the demo and makes the admin token once, then forks the workers and only supervises:
 * a worker that dies is replaced. The embedded database belongs to one process, so it always runs a single server.
 */
import cluster, { type Worker } from 'node:cluster';
import type { AppContext } from '../app/context.js';
import type { Config } from './config.js';
import { openContext } from './open.js';
import { ensureAdminToken, printReady, serverUrl, start } from './start.js';

export async function startCluster(
  config: Config,
  hooks: { onEmpty?: (ctx: AppContext) => Promise<void> } = {},
): Promise<void> {
  if (!cluster.isPrimary) {
    const s = await start(config, { worker: true });
    const stop = () => void s.close().finally(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  const t0 = performance.now();
  const ctx = await openContext(config);
  let token: string | undefined;
  try {
    if (config.demo && hooks.onEmpty) await hooks.onEmpty(ctx);
    token = await ensureAdminToken(ctx, config);
  } finally {
    await ctx.database.close();
  }

  let stopping = false;
  const fork = (): Worker => cluster.fork();
  cluster.on('exit', (w, code, signal) => {
    if (stopping) return;
    process.stderr.write(`sopdesk: worker ${w.process.pid} exited (${signal ?? code}); starting another\n`);
    fork();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let listening = 0;
    const onListening = (_w: Worker, address: { port: number }) => {
      if (++listening === config.workers) {
        cluster.off('listening', onListening);
        resolve(address.port);
      }
    };
    cluster.on('listening', onListening);
    // A worker that cannot start (port taken, database gone) would otherwise be replaced forever.
    cluster.once('exit', (_w, code) => {
      if (listening < config.workers) {
        stopping = true;
        reject(new Error(`a worker exited with ${code} before the server was ready`));
      }
    });
    for (let i = 0; i < config.workers; i++) fork();
  });
  printReady(serverUrl(config, port), 'server', token, t0, config.workers);

  const stop = () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    let left = workers.length;
    if (!left) process.exit(0);
    for (const w of workers) {
      w.once('exit', () => --left === 0 && process.exit(0));
      w.process.kill('SIGTERM');
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

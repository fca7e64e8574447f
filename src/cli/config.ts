/** Configuration comes from the environment; docs/configuration.md lists every variable. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server URL; absent = the embedded database under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  /** Load the demo store into an empty database at start (default: yes for the embedded database). */
  demo: boolean;
  poolSize: number;
  /** Seconds an accepted API token is trusted without a database check; also the revocation delay across processes. */
  tokenCacheSeconds: number;
  /** Server processes sharing the port (PostgreSQL only; the embedded database is single-process). */
  workers: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const poolSize = Number(env.SOPDESK_POOL_SIZE ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`SOPDESK_POOL_SIZE must be a positive integer, got "${env.SOPDESK_POOL_SIZE}"`);
  const tokenCacheSeconds = Number(env.SOPDESK_TOKEN_CACHE_SECONDS ?? 5);
  if (!Number.isFinite(tokenCacheSeconds) || tokenCacheSeconds < 0) throw new Error(`SOPDESK_TOKEN_CACHE_SECONDS must be a number of seconds (0 or more), got "${env.SOPDESK_TOKEN_CACHE_SECONDS}"`);
  const workers = Number(env.SOPDESK_WORKERS ?? 1);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`SOPDESK_WORKERS must be a positive integer, got "${env.SOPDESK_WORKERS}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: env.SOPDESK_DATA_DIR || './.sopdesk',
    adminToken: env.SOPDESK_ADMIN_TOKEN || undefined,
    demo: env.SOPDESK_DEMO ? env.SOPDESK_DEMO !== 'false' && env.SOPDESK_DEMO !== '0' : !databaseUrl,
    poolSize,
    tokenCacheSeconds,
    workers: databaseUrl ? workers : 1,
  };
}

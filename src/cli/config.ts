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
  /** Size and seed of the demo store loaded on first start (besides its named cases). */
  demoCustomers: number;
  demoOrders: number;
  demoSeed: string;
  poolSize: number;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of 0 or more, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const poolSize = Number(env.SOPDESK_POOL_SIZE ?? 20);
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new Error(`SOPDESK_POOL_SIZE must be a positive integer, got "${env.SOPDESK_POOL_SIZE}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: env.SOPDESK_DATA_DIR ?? './.sopdesk',
    adminToken: env.SOPDESK_ADMIN_TOKEN || undefined,
    demo: env.SOPDESK_DEMO ? env.SOPDESK_DEMO !== 'false' && env.SOPDESK_DEMO !== '0' : !databaseUrl,
    demoCustomers: count(env, 'SOPDESK_DEMO_CUSTOMERS', 50),
    demoOrders: count(env, 'SOPDESK_DEMO_ORDERS', 300),
    demoSeed: env.SOPDESK_DEMO_SEED || 'sopdesk',
    poolSize,
  };
}

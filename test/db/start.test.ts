import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServerDatabase, serverUrl } from '../support/db.js';
import { loadConfig } from '../../src/cli/config.js';
import { start } from '../../src/cli/start.js';
import { loadDemoOnFirstStart } from '../../src/cli/demo.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sopdesk-start-'));
let dropServer: (() => Promise<void>) | undefined;
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await dropServer?.();
});

describe('sopdesk start', () => {
  it('loads the demo store into an empty store on first start, and never again on the same data', async () => {
    const server = serverUrl ? await createServerDatabase(serverUrl) : undefined;
    dropServer = server?.drop;
    const config = {
      ...loadConfig({
        PORT: '0',
        SOPDESK_DATA_DIR: dataDir,
        SOPDESK_DEMO: 'true',
        SOPDESK_DEMO_CUSTOMERS: '2',
        SOPDESK_DEMO_ORDERS: '3',
      }),
      databaseUrl: server?.url,
    };
    const logs: string[] = [];
    const first = await start(config, { onEmpty: loadDemoOnFirstStart(config, (l) => logs.push(l)) });
    try {
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/^loaded the demo store: 14 customers, 13 products, 74 orders/);
      const health = await fetch(`${first.url.replace('localhost', '127.0.0.1')}/health`);
      expect(health.status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await start(config, { onEmpty: loadDemoOnFirstStart(config, (l) => logs.push(l)) });
    await second.close();
    expect(logs).toHaveLength(1);
  });

  it('answers /health as soon as the store is open, and the API loaded behind it answers the requests that came early', async () => {
    const config = {
      ...loadConfig({ PORT: '0', SOPDESK_DATA_DIR: dataDir, SOPDESK_ADMIN_TOKEN: 'start-test-admin-0123456789' }),
      databaseUrl: undefined,
      demo: false,
    };
    const s = await start(config);
    try {
      const base = s.url.replace('localhost', '127.0.0.1');
      // Sent at once, before the HTTP stack has finished loading: neither is refused, the session waits for it.
      const [health, session] = await Promise.all([
        fetch(`${base}/health`),
        fetch(`${base}/v1/session`, { headers: { authorization: 'Bearer start-test-admin-0123456789' } }),
      ]);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'embedded' });
      expect(session.status).toBe(200);
      expect(await session.json()).toMatchObject({ role: 'admin' });
    } finally {
      await s.close();
    }
  });
});

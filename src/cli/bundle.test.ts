import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from './prepare.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

describe('the CLI bundle `npm start` runs', () => {
  // Inside the checkout, so the bundle finds the packages it leaves out in node_modules.
  const out = join(ROOT, 'dist', `cli-test-${process.pid}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'sopdesk-bundle-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the server on an embedded store and answers /health', async () => {
    await buildCliBundle(out);
    const port = await freePort();
    const child = spawn(process.execPath, [join(out, 'main.mjs'), 'start'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', SOPDESK_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const health = async (): Promise<string> => {
        const r = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return r ? ((await r.json()) as { status: string }).status : `not yet: ${output.slice(-300)}`;
      };
      await expect.poll(health, { timeout: 60_000, interval: 250 }).toBe('ok');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});

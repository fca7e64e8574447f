/**
 * One process owns an embedded store: real processes (`node --import tsx src/cli/main.ts …`) on one SOPDESK_DATA_DIR.
 * A second start is refused with what to do instead; the commands people run beside a running server (token create,
 * user create, import, export, mcp) go through it, and what they made is there after a restart; a server killed with
 * SIGKILL leaves a lock that the next start takes over.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireStoreLock, StoreBusyError, storeOwner, type StoreOwner } from '../../src/cli/store-lock.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sopdesk-lock-'));
  dirs.push(d);
  return d;
}

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, SOPDESK_TEST_DATABASE_URL: _t, ...rest } = process.env;
  return {
    ...rest,
    SOPDESK_DATA_DIR: dataDir,
    SOPDESK_SKIP_WEB_BUILD: 'true',
    SOPDESK_DEMO_CUSTOMERS: '2',
    SOPDESK_DEMO_ORDERS: '3',
    SOPDESK_TOKEN_CACHE_SECONDS: '0',
    PORT: '0',
    NODE_ENV: 'production',
    ...extra,
  };
}

function cli(
  dataDir: string,
  args: string[],
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: env(dataDir),
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** `sopdesk start`, resolved once it printed its URL and /health answers. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; adminToken: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
    cwd: ROOT,
    env: env(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`start exited with ${child.exitCode}: ${out}`);
    const m = /running at http:\/\/localhost:(\d+)[\s\S]*admin token: (\S+)/.exec(out);
    if (m) {
      const url = `http://127.0.0.1:${m[1]}`;
      expect((await fetch(`${url}/health`)).status).toBe(200);
      return { child, url, adminToken: m[2]! };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );

async function signIn(url: string, body: object): Promise<number> {
  const r = await fetch(`${url}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.status;
}

const session = async (url: string, token: string) =>
  (await fetch(`${url}/v1/session`, { headers: { authorization: `Bearer ${token}` } })).status;

function lockFiles(dataDir: string): string[] {
  return readdirSync(join(dataDir, 'lock')).filter((f) => /^\d+$/.test(f));
}

describe('the embedded store lock (in one process)', () => {
  it('is held by one owner at a time, and free again once released', () => {
    const dir = tempDir();
    const first = acquireStoreLock(dir, 'import');
    expect(() => acquireStoreLock(dir, 'export')).toThrow(StoreBusyError);
    expect(storeOwner(dir)?.command).toBe('import');
    expect(statSync(join(dir, 'lock', lockFiles(dir)[0]!)).mode & 0o777).toBe(0o600);
    first.release();
    expect(storeOwner(dir)).toBeUndefined();
    const second = acquireStoreLock(dir, 'export');
    expect(lockFiles(dir)).toEqual(['0000000002']);
    second.release();
  });

  it('takes over a lock whose process is gone, or whose pid now belongs to another process', async () => {
    const dir = tempDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    await exited(gone);
    const stale = (o: Partial<StoreOwner>): StoreOwner => ({
      pid: gone.pid!,
      host: hostname(),
      command: 'start',
      startedAt: '',
      nonce: 'old',
      ...o,
    });
    acquireStoreLock(dir, 'x').release();
    writeFileSync(join(dir, 'lock', '0000000002'), JSON.stringify(stale({})));
    expect(storeOwner(dir)).toBeUndefined();
    const taken = acquireStoreLock(dir, 'start');
    taken.release();
    // Our own parent runs, but started at another time than the lock says: a reused pid, not the owner.
    writeFileSync(join(dir, 'lock', '0000000004'), JSON.stringify(stale({ pid: process.ppid, processStart: '1' })));
    if (readdirSync('/proc').length) expect(storeOwner(dir)).toBeUndefined();
    // A live process of another machine (a shared folder) is never taken over.
    writeFileSync(join(dir, 'lock', '0000000005'), JSON.stringify(stale({ host: 'elsewhere', pid: process.ppid })));
    expect(() => acquireStoreLock(dir, 'start')).toThrow(/in use by `sopdesk start` \(pid \d+ on elsewhere/);
  });

  it('of several processes taking a free or stale store at once, exactly one gets it', async () => {
    const dir = tempDir();
    const gone = spawn(process.execPath, ['-e', '0']);
    await exited(gone);
    acquireStoreLock(dir, 'x').release();
    writeFileSync(
      join(dir, 'lock', '0000000002'),
      JSON.stringify({ pid: gone.pid, host: hostname(), command: 'start', startedAt: '', nonce: 'dead' }),
    );
    // The one that gets it holds it until all four have tried: on a loaded machine a process can start seconds late, and
    // must then meet the owner, not a store freed by an owner already gone.
    const tried = join(dir, 'tried');
    mkdirSync(tried);
    const script = `import { acquireStoreLock } from './src/cli/store-lock.ts';
      import { readdirSync, writeFileSync } from 'node:fs';
      const tried = () => writeFileSync(${JSON.stringify(tried)} + '/' + process.pid, '');
      await new Promise((r) => setTimeout(r, ${Date.now() + 3000} - Date.now()));
      try {
        acquireStoreLock(${JSON.stringify(dir)}, 'race'); console.log('got'); tried();
        for (let i = 0; i < 1200 && readdirSync(${JSON.stringify(tried)}).length < 4; i++) await new Promise((r) => setTimeout(r, 50));
      }
      catch (e) { console.log(e.name); tried(); }`;
    const results = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<string>((resolve) => {
            const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
            let out = '';
            c.stdout.on('data', (d) => (out += d));
            c.on('exit', () => resolve(out.trim()));
          }),
      ),
    );
    expect(results.sort()).toEqual(['StoreBusyError', 'StoreBusyError', 'StoreBusyError', 'got']);
  });
});

describe('one process owns an embedded store (real processes)', () => {
  it('refuses a second start, runs token and user commands through the running server, and survives kill -9', async () => {
    const dir = tempDir();
    const server = await startServer(dir);

    const second = await cli(dir, ['start']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /a server is already running on this store at http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)\. Use that one, or stop it first/,
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);

    const made = await cli(dir, ['token', 'create', '--role', 'agent', '--name', 'Alex']);
    expect(made.stderr).toMatch(/created agent token tok_\w+; it is shown only this once/);
    const token = made.stdout.trim();
    expect(await session(server.url, token)).toBe(200);

    const user = await cli(dir, [
      'user',
      'create',
      '--email',
      'alex@shop.example',
      '--password',
      'a long passphrase',
      '--role',
      'agent',
    ]);
    expect(user.code).toBe(0);
    expect(user.stderr).toMatch(/created agent user alex@shop\.example/);
    expect(await signIn(server.url, { email: 'alex@shop.example', password: 'a long passphrase' })).toBe(201);
    const again = await cli(dir, [
      'user',
      'create',
      '--email',
      'alex@shop.example',
      '--password',
      'a long passphrase',
      '--role',
      'agent',
    ]);
    expect(again.code).toBe(1);

    const imported = await cli(
      dir,
      ['import', '-'],
      '{"type":"customer","name":"Zed Imported","emails":["zed@example.com"]}\n',
    );
    expect(imported.stderr).toMatch(/import: done — 1 customers/);
    const exported = await cli(dir, ['export']);
    expect(exported.stderr).toMatch(/export: 15 customers, 13 products, 74 orders/);
    expect(exported.stdout).toContain('"Zed Imported"');
    expect(
      exported.stdout
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l).type),
    ).toBe(true);

    // An MCP host's `sopdesk mcp` beside the server: served by the server, writes and all.
    const rpc = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'find_customer_by_email', arguments: { email: 'zed@example.com' } },
      },
    ];
    const mcp = await cli(dir, ['mcp'], rpc.map((m) => JSON.stringify(m)).join('\n') + '\n');
    expect(mcp.stderr).toMatch(/through the sopdesk server at http:\/\/127\.0\.0\.1:\d+/);
    const answers = mcp.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result?: { isError?: boolean; structuredContent?: unknown } });
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(answers[1]!.result?.isError).toBeFalsy();
    expect(JSON.stringify(answers[1]!.result?.structuredContent)).toContain('Zed Imported');

    const listed = await cli(dir, ['token', 'list']);
    expect(listed.stdout).toMatch(/\tagent\tAlex\t/);

    // A crash: the lock stays behind with a dead pid, and the next start takes the store over.
    server.child.kill('SIGKILL');
    await exited(server.child);
    expect(lockFiles(dir)).toHaveLength(1);
    const restarted = await startServer(dir);
    expect(restarted.adminToken).toBe(server.adminToken);
    expect(await session(restarted.url, token)).toBe(200);
    expect(await signIn(restarted.url, { email: 'alex@shop.example', password: 'a long passphrase' })).toBe(201);
    expect((await cli(dir, ['export'])).stdout).toContain('"Zed Imported"');

    // A clean stop gives the store up: a command then opens it itself.
    restarted.child.kill('SIGTERM');
    await exited(restarted.child);
    const owner = JSON.parse(readFileSync(join(dir, 'lock', lockFiles(dir)[0]!), 'utf8')) as StoreOwner;
    expect(owner).toMatchObject({ released: true });
    expect(owner.secret).toBeUndefined();
    const offline = await cli(dir, ['token', 'list']);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/\tagent\tAlex\t/);
  }, 240_000);

  it('refuses a start while a CLI command holds the store, saying what holds it', async () => {
    const dir = tempDir();
    const held = acquireStoreLock(dir, 'import');
    try {
      const r = await cli(dir, ['start']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /in use by `sopdesk import` \(pid \d+, since .*\)\. One process owns an embedded store: run this again when it has finished/,
      );
      const token = await cli(dir, ['token', 'list']);
      expect(token.code).toBe(1);
      expect(token.stderr).toMatch(/in use by `sopdesk import`/);
    } finally {
      held.release();
    }
  }, 60_000);
});

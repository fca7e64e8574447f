/**
 * How a CLI command reaches the store. On PostgreSQL it opens the database (the server handles concurrency). On the
 * embedded store it takes the store's lock (src/cli/store-lock.ts) and opens it — or, when a running server owns the
 * store, sends the command to that server over loopback HTTP (`/internal/cli`, src/http/routes/cli.ts), authenticated
 * by the secret the server keeps in the lock file. Either way the command does the same thing and prints the same.
 */
import type { Readable } from 'node:stream';
import type { AppContext } from '../app/context.js';
import { createToken } from '../app/tokens/tokens.js';
import { listTokens, type TokenInfo } from '../app/tokens/list-tokens.js';
import { revokeToken } from '../app/tokens/revoke-token.js';
import { createUser } from '../app/auth/create-user.js';
import { importSnapshot, type ImportProgress, type ImportSummary } from '../app/snapshot/import-snapshot.js';
import { readSnapshot } from '../app/snapshot/read-snapshot.js';
import { exportSnapshot, type ExportSummary } from '../app/snapshot/export-snapshot.js';
import { loadDemo } from '../app/demo/load-demo.js';
import { storeIsEmpty } from '../app/snapshot/store-is-empty.js';
import { DomainError, ERROR_CODES, conflict, type ErrorCode } from '../kernel/errors.js';
import { CLI_SECRET_HEADER } from '../http/routes/cli.js';
import type { Config } from './config.js';
import { openContext } from './open.js';
import { describeOwner, storeOwner, StoreBusyError, type StoreOwner } from './store-lock.js';

export interface DemoInput {
  customers: number;
  orders: number;
  seed: string;
  now: Date;
}

/** What the CLI does to a store, the same whether it opened the store or a running server does it. */
export interface StoreCommands {
  /** Where it runs: `this process` or the server's URL. */
  readonly via: string;
  createToken(input: {
    role: string;
    name?: string | undefined;
    customerId?: string | undefined;
  }): Promise<{ id: string; role: string; token: string; customerId: string | null }>;
  listTokens(): Promise<TokenInfo[]>;
  revokeToken(id: string): Promise<TokenInfo>;
  createUser(input: {
    email: string;
    password: string;
    role: string;
    name?: string | undefined;
  }): Promise<{ id: string; email: string; role: string }>;
  importSnapshot(input: Readable, onProgress: (p: ImportProgress) => void): Promise<ImportSummary>;
  loadDemo(input: DemoInput, onProgress: (p: ImportProgress) => void): Promise<ImportSummary>;
  exportSnapshot(emit: (chunk: string) => Promise<void>): Promise<ExportSummary>;
  close(): Promise<void>;
}

function localCommands(ctx: AppContext): StoreCommands {
  return {
    via: 'this process',
    createToken: (input) => createToken(ctx, input),
    listTokens: () => listTokens(ctx),
    revokeToken: (id) => revokeToken(ctx, { id }),
    createUser: (input) => createUser(ctx, input),
    importSnapshot: (input, onProgress) =>
      importSnapshot(ctx, readSnapshot(input as AsyncIterable<Uint8Array>), {
        actor: { kind: 'system', id: 'import' },
        onProgress,
      }),
    loadDemo: async (input, onProgress) => {
      if (!(await storeIsEmpty(ctx)))
        throw conflict('the store is not empty; the demo store loads only into an empty database (or use --out FILE).');
      return loadDemo(ctx, input, { actor: { kind: 'system', id: 'demo' }, onProgress });
    },
    exportSnapshot: (emit) => exportSnapshot(ctx, emit),
    close: () => ctx.database.close(),
  };
}

export interface ServerEndpoint {
  url: string;
  secret: string;
}

/** A DomainError the server answered, rebuilt so the CLI reports it as if it had run the command itself. */
function domainError(body: unknown, status: number): Error {
  const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (e?.code && (ERROR_CODES as readonly string[]).includes(e.code))
    return new DomainError(e.code as ErrorCode, e.message ?? e.code);
  return new Error(e?.message ?? `the server answered ${status}`);
}

/** Reads a JSON Lines answer line by line. */
async function* jsonLines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Record<string, unknown>> {
  if (!body) return;
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (line.trim()) yield JSON.parse(line) as Record<string, unknown>;
    }
  }
  if (rest.trim()) yield JSON.parse(rest) as Record<string, unknown>;
}

const serverStopped = (url: string) =>
  new Error(
    `the sopdesk server at ${url} stopped answering before the command finished; check its log, and run the command again`,
  );

export function remoteCommands(endpoint: ServerEndpoint): StoreCommands {
  const call = async (method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${endpoint.url}/internal/cli${path}`, {
        method,
        headers: {
          [CLI_SECRET_HEADER]: endpoint.secret,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...init,
      });
    } catch {
      throw serverStopped(endpoint.url);
    }
    if (!res.ok) throw domainError(await res.json().catch(() => undefined), res.status);
    return res;
  };
  const json = async <T>(method: string, path: string, body?: unknown) =>
    (await (await call(method, path, body)).json()) as T;
  const progress = async (res: Response, onProgress: (p: ImportProgress) => void): Promise<ImportSummary> => {
    try {
      for await (const line of jsonLines(res.body)) {
        if (line.progress) onProgress(line.progress as ImportProgress);
        else if (line.summary) return line.summary as ImportSummary;
        else if (line.error) throw domainError(line, 500);
      }
    } catch (e) {
      if (e instanceof TypeError) throw serverStopped(endpoint.url);
      throw e;
    }
    throw serverStopped(endpoint.url);
  };
  return {
    via: endpoint.url,
    createToken: (input) => json('POST', '/tokens', input),
    listTokens: () => json('GET', '/tokens'),
    revokeToken: (id) => json('DELETE', `/tokens/${encodeURIComponent(id)}`),
    createUser: (input) => json('POST', '/users', input),
    importSnapshot: async (input, onProgress) =>
      progress(
        await call('POST', '/import', undefined, {
          body: input as unknown as ReadableStream,
          duplex: 'half',
          headers: { [CLI_SECRET_HEADER]: endpoint.secret },
        } as RequestInit),
        onProgress,
      ),
    loadDemo: async (input, onProgress) =>
      progress(await call('POST', '/demo', { ...input, now: input.now.toISOString() }), onProgress),
    exportSnapshot: async (emit) => {
      const res = await call('GET', '/export');
      // Every line is the snapshot's but the last, which says how the export ended: hold one line back.
      const decoder = new TextDecoder();
      let rest = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          rest += decoder.decode(chunk, { stream: true });
          const lastStart = rest.lastIndexOf('\n', rest.length - 2) + 1;
          if (lastStart > 0) {
            await emit(rest.slice(0, lastStart));
            rest = rest.slice(lastStart);
          }
        }
      } catch {
        throw serverStopped(endpoint.url);
      }
      let end: { exportSummary?: ExportSummary; exportError?: string } = {};
      try {
        end = JSON.parse(rest) as typeof end;
      } catch {
        /* cut off */
      }
      if (end.exportSummary) return end.exportSummary;
      throw new Error(end.exportError ? `export ${end.exportError}` : serverStopped(endpoint.url).message);
    },
    close: async () => {},
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a server that holds the store while it starts (migrations, the demo load) until it listens. */
async function serverOf(dataDir: string, owner: StoreOwner, waitMs: number): Promise<ServerEndpoint | undefined> {
  const until = Date.now() + waitMs;
  for (let o: StoreOwner | undefined = owner; o && o.nonce === owner.nonce; o = storeOwner(dataDir)) {
    if (o.url && o.secret) return { url: o.url, secret: o.secret };
    if (Date.now() > until)
      throw new StoreBusyError(
        o,
        `the sopdesk server (${describeOwner(o)}) that owns ${dataDir} has not finished starting; try again when it prints "sopdesk is running"`,
      );
    await sleep(100);
  }
  return undefined; // it stopped meanwhile
}

/**
 * The store for CLI command `command` (`token create`, `import`, …): opened by this process, holding the store's lock
 * until `close()`, or — when a server owns the embedded store — that server, doing the command for us.
 */
export async function openStore(
  config: Config,
  command: string,
  opts: { waitForServerMs?: number } = {},
): Promise<StoreCommands> {
  for (;;) {
    try {
      return localCommands(await openContext(config, { command }));
    } catch (e) {
      if (!(e instanceof StoreBusyError) || e.owner.command !== 'start') throw e;
      const endpoint = await serverOf(config.dataDir, e.owner, opts.waitForServerMs ?? 120_000);
      if (endpoint) return remoteCommands(endpoint);
    }
  }
}

/** The running server that owns the embedded store, once it listens; undefined on PostgreSQL or with no server. */
export async function runningServer(config: Config): Promise<ServerEndpoint | undefined> {
  if (config.databaseUrl) return undefined;
  const owner = storeOwner(config.dataDir);
  return owner?.command === 'start' ? serverOf(config.dataDir, owner, 120_000) : undefined;
}

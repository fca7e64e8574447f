/**
 * One process owns an embedded store (PGlite under SOPDESK_DATA_DIR): two processes writing the same files lose each
 * other's commits. The owner is recorded in `$SOPDESK_DATA_DIR/lock/`, one file per generation (`0000000001`, …):
 *
 * - taking the store = creating the next generation's file, atomically (`link`, which fails when the name exists), so
 *   of two processes that both saw generation n free, one gets n+1 and the other sees it taken;
 * - a generation is free when its owner released it (a clean stop rewrites its file as released) or is gone: its pid
 *   no longer runs, or runs a process that started at another time (pid reuse, a container restarted with pid 1), or
 *   the machine has booted since (Linux boot id). So a store left by kill -9 or a crash is taken over at the next start;
 * - the newest file is never deleted (only older generations are): a slow process that judged generation n free and
 *   then made n+1 after others had taken n+1 and n+2 sees the newer one and gives its file up.
 *
 * The file holds the owner's pid and command and, for a running server, its loopback URL and a secret made at each
 * start (mode 0600: only the owner's user can read it), through which CLI commands reach the running server
 * (src/cli/store-access.ts).
 */
import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface StoreOwner {
  pid: number;
  host: string;
  /** Linux: when the process started (clock ticks since boot, /proc/<pid>/stat), so a reused pid is told apart. */
  processStart?: string | undefined;
  /** Linux: the boot the process ran in. */
  bootId?: string | undefined;
  /** What holds the store: `start`, `import`, `token create`, … */
  command: string;
  startedAt: string;
  /** A running server's address for CLI commands (loopback), and the secret they authenticate with. */
  url?: string | undefined;
  secret?: string | undefined;
  released?: boolean | undefined;
  nonce: string;
}

export interface StoreLock {
  readonly owner: StoreOwner;
  /** Records more about the owner (a server's URL and secret once it listens). */
  update(patch: Partial<Pick<StoreOwner, 'url' | 'secret'>>): void;
  /** Gives the store up; safe to call twice. */
  release(): void;
}

/** Another live process owns the store. `message` says who and what to do. */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
  constructor(
    readonly owner: StoreOwner,
    message: string,
  ) {
    super(message);
  }
}

const HELD = new Set<string>(); // nonces of the generations this process holds

const lockDir = (dataDir: string) => join(dataDir, 'lock');
const GENERATION = /^\d{10}$/;
const generationName = (n: number) => String(n).padStart(10, '0');

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function processStart(pid: number): string | undefined {
  const stat = readOptional(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Fields after the command name (which may hold spaces and parentheses); starttime is field 22 of the line.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = () => readOptional('/proc/sys/kernel/random/boot_id')?.trim();

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // runs, as another user
  }
}

/** Whether `owner` still holds the store. A lock of another machine (a shared network folder) is taken as held. */
export function ownerIsLive(owner: StoreOwner): boolean {
  if (owner.released) return false;
  if (HELD.has(owner.nonce)) return true;
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false; // our pid, but not our lock: a process before us had it
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  if (!pidRuns(owner.pid)) return false;
  const started = processStart(owner.pid);
  return !(owner.processStart && started && owner.processStart !== started);
}

function generations(dir: string): number[] {
  try {
    return readdirSync(dir)
      .filter((f) => GENERATION.test(f))
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

function readOwner(path: string): StoreOwner | undefined {
  const text = readOptional(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as StoreOwner;
  } catch {
    // Written whole through a temporary file, so never half-written; a file edited by hand counts as free.
    return { pid: 0, host: hostname(), command: 'unknown', startedAt: '', nonce: '', released: true };
  }
}

/** Writes `owner` to a new file of its own (mode 0600) and returns its path, for a link or rename into place. */
function writeTemp(dir: string, owner: StoreOwner): string {
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  writeFileSync(tmp, JSON.stringify(owner) + '\n', { mode: 0o600 });
  return tmp;
}

/** The live owner of the embedded store in `dataDir`, if any. */
export function storeOwner(dataDir: string): StoreOwner | undefined {
  const dir = lockDir(dataDir);
  const newest = generations(dir).pop();
  if (newest === undefined) return undefined;
  const owner = readOwner(join(dir, generationName(newest)));
  return owner && ownerIsLive(owner) ? owner : undefined;
}

export function describeOwner(o: StoreOwner): string {
  const where = o.host !== hostname() ? ` on ${o.host}` : '';
  return `\`sopdesk ${o.command}\` (pid ${o.pid}${where}, since ${o.startedAt})`;
}

/**
 * Takes the embedded store in `dataDir` for `command`, or throws StoreBusyError naming the live owner. A generation
 * left by a process that is gone is taken over.
 */
export function acquireStoreLock(dataDir: string, command: string): StoreLock {
  const dir = lockDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const owner: StoreOwner = {
    pid: process.pid,
    host: hostname(),
    processStart: processStart(process.pid),
    bootId: bootId(),
    command,
    startedAt: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  sweepTemps(dir);
  const tmp = writeTemp(dir, owner);
  try {
    for (let attempt = 0; attempt < 20; attempt++) {
      const newest = generations(dir).pop() ?? 0;
      if (newest) {
        const current = readOwner(join(dir, generationName(newest)));
        if (current === undefined) continue; // swept away as we looked: look again
        if (ownerIsLive(current))
          throw new StoreBusyError(current, `the embedded store in ${dataDir} is in use by ${describeOwner(current)}`);
      }
      const mine = join(dir, generationName(newest + 1));
      try {
        linkSync(tmp, mine);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue; // another process took it first: look again
        throw e;
      }
      // Generations below the newest are deleted, so n+1 may have been taken, released and deleted while we looked:
      // then a newer one exists, and ours is void.
      if ((generations(dir).pop() ?? 0) > newest + 1) {
        unlinkQuietly(mine);
        continue;
      }
      HELD.add(owner.nonce);
      for (const g of generations(dir)) if (g <= newest) unlinkQuietly(join(dir, generationName(g)));
      return heldLock(dir, mine, owner);
    }
    throw new Error(`could not take the embedded store in ${dataDir}: other processes keep taking it`);
  } finally {
    unlinkQuietly(tmp);
  }
}

function heldLock(dir: string, path: string, initial: StoreOwner): StoreLock {
  let owner = initial;
  let released = false;
  const replace = (next: StoreOwner) => {
    renameSync(writeTemp(dir, next), path); // atomic: a reader sees the old file or the new one
    owner = next;
  };
  return {
    get owner() {
      return owner;
    },
    update(patch) {
      if (!released) replace({ ...owner, ...patch });
    },
    release() {
      if (released) return;
      released = true;
      HELD.delete(owner.nonce);
      // Kept as released rather than deleted, so the next owner takes the next generation number.
      const { url: _url, secret: _secret, ...rest } = owner;
      try {
        replace({ ...rest, released: true });
      } catch {
        /* the data dir is gone (a test's temp dir): nothing to release */
      }
    },
  };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Temporary files left by a process killed between writing one and moving it into place. */
function sweepTemps(dir: string): void {
  for (const f of readdirSync(dir)) {
    if (!f.startsWith('.tmp-')) continue;
    const pid = Number(f.split('-')[1]);
    const path = join(dir, f);
    try {
      if (pid !== process.pid && !pidRuns(pid) && Date.now() - statSync(path).mtimeMs > 1000) unlinkSync(path);
    } catch {
      /* gone meanwhile */
    }
  }
}

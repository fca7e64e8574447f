/**
 * `npm start` serves the built web UI from dist/web. `npm ci` / `npm install` build it (src/cli/prepare.ts, the package's
 * `prepare` script), so a first start does not wait for Vite; `npm start` builds it again only when the build is missing
 * or older than a file under web/ (a pull that changed the UI), so a restart on an unchanged checkout costs one
 * directory walk (a few milliseconds).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_SRC = join(ROOT, 'web');
export const WEB_ROOT = join(ROOT, 'dist', 'web');
/** What the UI is built from: web/, and the pure server code it imports (money, the inbox's channels and statuses). */
const WEB_SOURCES = [WEB_SRC, join(ROOT, 'src', 'kernel'), join(ROOT, 'src', 'domain')];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(): boolean {
  const index = join(WEB_ROOT, 'index.html');
  if (!existsSync(WEB_SRC)) return false;
  if (!existsSync(index)) return true;
  return Math.max(...WEB_SOURCES.map(newestMtime)) > statSync(index).mtimeMs;
}

/** Builds web/ into dist/web with Vite when stale. Returns whether it built. */
export async function ensureWebBuild(log: (line: string) => void = () => {}): Promise<boolean> {
  if (!webBuildIsStale()) return false;
  log('building the web UI (web/ → dist/web)…');
  const { build } = await import('vite');
  // Vite keeps a NODE_ENV it finds (vitest sets "test"), which bundles React's development build: twice the size,
  // and StrictMode runs every effect twice. The UI is always built for production.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(WEB_SRC, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
  return true;
}

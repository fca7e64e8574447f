#!/usr/bin/env node
// The sopdesk CLI (`npx sopdesk …`, `npm start`). Runs the bundle `npm ci` made (dist/cli/main.mjs, src/cli/prepare.ts)
// when no file under src/ is newer than it (loading one bundled file costs far less than compiling each module) and otherwise the
// TypeScript source through tsx, so an edited or pulled checkout always runs its own code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'main.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

if (
  process.env.SOPDESK_NO_BUNDLE !== 'true' &&
  existsSync(bundle) &&
  newestMtime(join(root, 'src')) <= statSync(bundle).mtimeMs
) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}

/**
 * The package's `prepare` script, run by `npm ci` / `npm install`: what a first `npm start` would otherwise wait for is
 * made once, at install —
 *
 * - the web UI, built into dist/web (src/cli/web-build.ts; `npm start` rebuilds it only when web/ is newer);
 * - the storefront chat widget, dist/widget/widget.js (src/cli/widget-build.ts, likewise);
 * - the CLI as one bundle, dist/cli/main.mjs (with the packages every start loads, BUNDLED_PACKAGES), which
 *   bin/sopdesk.js runs while no file under src/ is newer: a start then loads a few files instead of compiling each
 *   module through tsx;
 * - the embedded store template, dist/store-template/: a new, migrated embedded database as a tarball, which a new
 *   SOPDESK_DATA_DIR starts as a copy of, instead of running initdb and every migration (most of a first start's work).
 *   It is made by the installed PGlite, and used only with that version; a schema newer than it is migrated at start.
 *
 * It never fails the install: `npm start` does without either (building the UI, or initialising the store itself).
 */
import { existsSync, mkdirSync, openAsBlob, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { embeddedTemplate, newestMigration } from '../db/database.js';
import { ensureWebBuild } from './web-build.js';
import { ensureWidgetBuild } from './widget-build.js';

const TEMPLATE_DIR = fileURLToPath(new URL('../../dist/store-template/', import.meta.url));
const TEMPLATE = join(TEMPLATE_DIR, 'pgdata.tar');
const TEMPLATE_META = join(TEMPLATE_DIR, 'template.json');

interface TemplateMeta {
  pglite: string;
  newestMigration: number;
}

function pgliteVersion(): string {
  // The package exports no ./package.json: find it above its entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = join(entry.slice(0, entry.lastIndexOf(`${sep}dist${sep}`)), 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

function templateMeta(): TemplateMeta | undefined {
  try {
    return JSON.parse(readFileSync(TEMPLATE_META, 'utf8')) as TemplateMeta;
  } catch {
    return undefined;
  }
}

/** The store template, when there is one made by the installed PGlite (`openDatabase`'s `template`). */
export async function storeTemplate(): Promise<Blob | undefined> {
  if (templateMeta()?.pglite !== pgliteVersion() || !existsSync(TEMPLATE)) return undefined;
  return openAsBlob(TEMPLATE);
}

/** Makes the store template unless the one there fits the installed PGlite and the newest migration. */
export async function ensureStoreTemplate(): Promise<boolean> {
  const want: TemplateMeta = { pglite: pgliteVersion(), newestMigration: newestMigration() };
  const have = templateMeta();
  if (have && have.pglite === want.pglite && have.newestMigration === want.newestMigration && existsSync(TEMPLATE))
    return false;
  const tar = await embeddedTemplate();
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  // Written beside and renamed into place: an install killed halfway leaves no half tarball to start from.
  writeFileSync(`${TEMPLATE}.partial`, Buffer.from(await tar.arrayBuffer()));
  renameSync(`${TEMPLATE}.partial`, TEMPLATE);
  writeFileSync(TEMPLATE_META, JSON.stringify(want) + '\n');
  return true;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The packages every start loads, bundled in: node resolves, reads and compiles each file of a package on its own, and
 * these are hundreds of files (a third of a restart's module loading). The others stay in node_modules: PGlite finds
 * its WebAssembly beside its own files, and what loads only on demand (nodemailer, imapflow, the AI and MCP SDKs, pg,
 * yaml, vite) costs a start nothing. Packages are ESM here: a CommonJS one would need `require` in the bundle.
 */
const BUNDLED_PACKAGES = new Set(['zod', 'drizzle-orm', 'hono', '@hono/node-server', '@marcbachmann/cel-js']);

const packageName = (spec: string) => spec.split('/', spec.startsWith('@') ? 2 : 1).join('/');

/** Bundles src/cli/main.ts into dist/cli/ (lazy imports stay lazy, as chunks), written beside and moved into place. */
export async function buildCliBundle(out = join(ROOT, 'dist', 'cli')): Promise<void> {
  const { build } = await import('esbuild');
  const partial = `${out}.partial`;
  rmSync(partial, { recursive: true, force: true });
  await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [
      {
        name: 'bundled-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, ({ path }) =>
            BUNDLED_PACKAGES.has(packageName(path)) ? undefined : { external: true },
          );
        },
      },
    ],
    splitting: true,
    outdir: partial,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  rmSync(out, { recursive: true, force: true });
  renameSync(partial, out);
}

async function prepare(): Promise<void> {
  const say = (line: string) => process.stderr.write(`sopdesk: ${line}\n`);
  let t0 = performance.now();
  const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);
  try {
    await import('vite');
    if (await ensureWebBuild(say)) say(`web UI built in ${seconds()} s`);
  } catch (e) {
    say(`the web UI is not built (npm start builds it): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  t0 = performance.now();
  try {
    if (await ensureWidgetBuild()) say(`chat widget built in ${seconds()} s`);
  } catch (e) {
    say(`the chat widget is not built (npm start builds it): ${e instanceof Error ? e.message : String(e)}`);
  }
  t0 = performance.now();
  try {
    await buildCliBundle();
    say(`CLI bundled in ${seconds()} s`);
  } catch (e) {
    say(`the CLI is not bundled (it runs from source): ${e instanceof Error ? e.message : String(e)}`);
  }
  t0 = performance.now();
  try {
    if (await ensureStoreTemplate()) say(`embedded store template made in ${seconds()} s`);
  } catch (e) {
    say(
      `the embedded store template is not made (a first start initialises the store itself): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await prepare();

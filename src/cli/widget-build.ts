/**
 * The storefront chat widget (web/widget → dist/widget/widget.js, served at GET /widget.js): one minified script,
 * no framework, bundled by esbuild. Built by `prepare` (npm ci / npm install), and by `npm start` when web/widget is
 * newer than the build.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WIDGET_SRC = join(ROOT, 'web', 'widget');
export const WIDGET_SCRIPT = join(ROOT, 'dist', 'widget', 'widget.js');

function widgetBuildIsStale(): boolean {
  if (!existsSync(WIDGET_SRC)) return false;
  if (!existsSync(WIDGET_SCRIPT)) return true;
  const built = statSync(WIDGET_SCRIPT).mtimeMs;
  return readdirSync(WIDGET_SRC).some((f) => statSync(join(WIDGET_SRC, f)).mtimeMs > built);
}

/** Builds the widget when stale; returns whether it built. */
export async function ensureWidgetBuild(): Promise<boolean> {
  if (!widgetBuildIsStale()) return false;
  const { build } = await import('esbuild');
  mkdirSync(join(ROOT, 'dist', 'widget'), { recursive: true });
  const partial = `${WIDGET_SCRIPT}.partial`;
  await build({
    entryPoints: [join(WIDGET_SRC, 'widget.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    minify: true,
    legalComments: 'none',
    outfile: partial,
    logLevel: 'warning',
  });
  renameSync(partial, WIDGET_SCRIPT);
  return true;
}

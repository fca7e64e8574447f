import { ensureWebBuild } from '../../src/cli/web-build.js';
import { ensureWidgetBuild } from '../../src/cli/widget-build.js';

/** Builds web/ into dist/web and the chat widget once for the browser tests (skipped when newer than the sources). */
export default async function setup(): Promise<void> {
  await ensureWebBuild();
  await ensureWidgetBuild();
}

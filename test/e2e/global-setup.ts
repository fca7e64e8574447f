import { ensureWebBuild } from '../../src/cli/web-build.js';

/** Builds web/ into dist/web once for the browser tests (skipped when the build is newer than the sources). */
export default async function setup(): Promise<void> {
  await ensureWebBuild();
}

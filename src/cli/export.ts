import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Config } from './config.js';
import { openStore } from './store-access.js';

/** Writes, waiting when the reader is slower than the database. */
async function writeTo(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * `sopdesk export [FILE]`: the whole store as JSON Lines, to FILE or stdout (through the running server, if one owns
 * the store). FILE is written beside itself and renamed into place when complete, so it is never left half-written.
 */
export async function runExport(config: Config, file: string | undefined): Promise<number> {
  const store = await openStore(config, 'export');
  const toFile = !!file && file !== '-';
  const partial = `${file}.partial`;
  const out: Writable = toFile ? createWriteStream(partial) : process.stdout;
  try {
    const t0 = performance.now();
    const summary = await store.exportSnapshot((chunk) => writeTo(out, chunk));
    if (toFile) {
      out.end();
      await once(out, 'finish');
      renameSync(partial, file);
    }
    process.stderr.write(
      `export: ${summary.customers} customers, ${summary.products} products, ${summary.orders} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } catch (e) {
    if (toFile) {
      out.destroy();
      rmSync(partial, { force: true });
    }
    throw e;
  } finally {
    await store.close();
  }
}

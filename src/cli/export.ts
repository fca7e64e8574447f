import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Config } from './config.js';
import { openContext } from './open.js';
import { exportSnapshot } from '../app/snapshot/export-snapshot.js';

/** Writes, waiting when the reader is slower than the database. */
async function writeTo(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** `sopdesk export [FILE]`: the whole store as JSON Lines, to FILE or stdout. */
export async function runExport(config: Config, file: string | undefined): Promise<number> {
  const ctx = await openContext(config);
  const out: Writable = file && file !== '-' ? createWriteStream(file) : process.stdout;
  try {
    const t0 = performance.now();
    const summary = await exportSnapshot(ctx, (chunk) => writeTo(out, chunk));
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    process.stderr.write(`export: ${summary.customers} customers, ${summary.products} products, ${summary.orders} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
  } finally {
    await ctx.database.close();
  }
}

import { createReadStream } from 'node:fs';
import type { Config } from './config.js';
import { openContext } from './open.js';
import { importSnapshot } from '../app/snapshot/import-snapshot.js';
import { readSnapshot } from '../app/snapshot/read-snapshot.js';
import { progressPrinter } from './progress.js';

/** `sopdesk import FILE` (or `-` for stdin): loads a snapshot in one transaction. */
export async function runImport(config: Config, file: string | undefined): Promise<number> {
  if (!file) {
    process.stderr.write('usage: sopdesk import FILE   (JSON Lines or one JSON document; - reads stdin; see docs/snapshot-format.md)\n');
    return 2;
  }
  const input = file === '-' ? process.stdin : createReadStream(file);
  const ctx = await openContext(config);
  try {
    const progress = progressPrinter('import');
    const t0 = performance.now();
    const summary = await importSnapshot(ctx, readSnapshot(input as AsyncIterable<Uint8Array>), { actor: { kind: 'system', id: 'import' }, onProgress: progress.update });
    progress.done(summary, performance.now() - t0);
    return 0;
  } finally {
    await ctx.database.close();
  }
}

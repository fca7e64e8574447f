import { createReadStream } from 'node:fs';
import type { Config } from './config.js';
import type { Readable } from 'node:stream';
import { openStore } from './store-access.js';
import { progressPrinter } from './progress.js';

/** `sopdesk import FILE` (or `-` for stdin): loads a snapshot in one transaction (through the running server, if one owns the store). */
export async function runImport(config: Config, file: string | undefined): Promise<number> {
  if (!file) {
    process.stderr.write(
      'usage: sopdesk import FILE   (JSON Lines or one JSON document; - reads stdin; see docs/snapshot-format.md)\n',
    );
    return 2;
  }
  const input = file === '-' ? process.stdin : createReadStream(file);
  const store = await openStore(config, 'import');
  try {
    const progress = progressPrinter('import');
    const t0 = performance.now();
    const summary = await store.importSnapshot(input as Readable, progress.update);
    progress.done(summary, performance.now() - t0);
    return 0;
  } finally {
    await store.close();
  }
}

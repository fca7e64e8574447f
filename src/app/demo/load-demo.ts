import type { AppContext } from '../context.js';
import { importSnapshot, type ImportOptions, type ImportSummary } from '../snapshot/import-snapshot.js';
import type { SourceRecord } from '../snapshot/records.js';
import { demoRecords, type DemoOptions } from './generate-demo.js';
import { loadDemoConversations } from './demo-conversations.js';

function* asSource(opts: DemoOptions): Generator<SourceRecord> {
  let n = 0;
  for (const value of demoRecords(opts)) yield { where: `demo record ${++n}`, value };
}

/**
 * Builds the demo store by feeding its records through the snapshot importer (one transaction), then lets its
 * conversations arrive through their channels (`loadDemoConversations`), unless `conversations` is false.
 */
export async function loadDemo(
  ctx: AppContext,
  demo: Omit<DemoOptions, 'now'> & { now?: Date | undefined; conversations?: boolean | undefined },
  opts: ImportOptions,
): Promise<ImportSummary & { conversations: number }> {
  const now = demo.now ?? ctx.clock.now();
  const summary = await importSnapshot(ctx, asSource({ ...demo, now }), opts);
  const conversations = demo.conversations === false ? 0 : await loadDemoConversations(ctx, now);
  return { ...summary, conversations };
}

/** The demo store as JSON Lines, for `sopdesk demo --out FILE`. */
export function* demoLines(opts: DemoOptions): Generator<string> {
  for (const r of demoRecords(opts)) yield JSON.stringify(r) + '\n';
}

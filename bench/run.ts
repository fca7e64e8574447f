/**
 * `npm run bench [-- section…]`: runs the benchmark sections on this machine's PostgreSQL (BENCH_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres), prints the figures as JSON, keeps them in
 * bench/out/<section>.json and rewrites docs/BENCHMARKS.md from every section on record.
 * Kept out of `npm test`: timings on a shared two-core machine are measurements, not assertions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { foundation } from './foundation.js';
import { actions } from './actions.js';
import { sidebarBrowser } from './sidebar-browser.js';
import { startBench } from './start.js';
import { aiTurn } from './ai-turn.js';
import { emailInbound } from './email-inbound.js';
import { liveEvents } from './live-events.js';
import { simulateBench } from './simulate.js';
import { widgetBench } from './widget.js';
import { koganBench } from './kogan.js';
import { webhooksBench } from './webhooks-slow.js';
import { shopifyWebhooksBench } from './shopify-webhooks.js';
import { log, machine, ROOT } from './lib.js';
import { renderReport } from './report.js';

const SECTIONS: Record<string, () => Promise<unknown>> = {
  foundation,
  actions,
  sidebar: sidebarBrowser,
  start: startBench,
  'ai-turn': aiTurn,
  email: emailInbound,
  live: liveEvents,
  simulate: simulateBench,
  widget: widgetBench,
  kogan: koganBench,
  webhooks: webhooksBench,
  shopify: () => shopifyWebhooksBench(),
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const names = asked.length ? asked : Object.keys(SECTIONS);
  const unknown = names.filter((n) => !SECTIONS[n]);
  if (unknown.length)
    throw new Error(`unknown section(s) ${unknown.join(', ')}; sections: ${Object.keys(SECTIONS).join(', ')}`);
  const outDir = join(ROOT, 'bench/out');
  mkdirSync(outDir, { recursive: true });
  const m = machine();
  for (const name of names) {
    log(`section ${name}`);
    const t0 = performance.now();
    const figures = await SECTIONS[name]!();
    const record = { section: name, machine: m, seconds: Math.round((performance.now() - t0) / 1000), figures };
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
    process.stdout.write(JSON.stringify(record, null, 2) + '\n');
  }
  renderReport(outDir, join(ROOT, 'docs/BENCHMARKS.md'));
  log('docs/BENCHMARKS.md updated');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});

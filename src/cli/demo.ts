import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Config } from './config.js';
import { openStore } from './store-access.js';
import { demoLines, loadDemo } from '../app/demo/load-demo.js';
import { isDomainError } from '../kernel/errors.js';
import { progressPrinter } from './progress.js';
import { systemClock } from '../kernel/clock.js';
import type { AppContext } from '../app/context.js';

const USAGE = 'usage: sopdesk demo [--customers N] [--orders M] [--seed S] [--now ISO-DATE] [--out FILE]\n';

function whole(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number of 0 or more, got "${raw}"`);
  return n;
}

/**
 * `sopdesk demo`: builds the deterministic demo store (docs/demo-store.md) into the configured database,
 * which must be empty — or, with `--out FILE`, writes it as a snapshot instead.
 */
export async function runDemo(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stderr.write(USAGE);
    return 0;
  }
  const now = values.now ? new Date(values.now) : systemClock.now();
  if (Number.isNaN(now.getTime())) throw new Error(`--now must be a date such as 2026-11-20, got "${values.now}"`);
  const opts = {
    customers: whole('customers', values.customers, config.demoCustomers),
    orders: whole('orders', values.orders, config.demoOrders),
    seed: values.seed ?? config.demoSeed,
    now,
  };
  if (values.out) {
    const out = values.out === '-' ? process.stdout : createWriteStream(values.out);
    let buffer = '';
    for (const line of demoLines(opts)) {
      buffer += line;
      if (buffer.length > 1 << 20) {
        if (!out.write(buffer)) await once(out, 'drain');
        buffer = '';
      }
    }
    out.write(buffer);
    if (out !== process.stdout) {
      out.end();
      await once(out, 'finish');
    }
    return 0;
  }
  const store = await openStore(config, 'demo');
  try {
    const progress = progressPrinter('demo');
    const t0 = performance.now();
    const summary = await store.loadDemo(opts, progress.update);
    progress.done(summary, performance.now() - t0);
    return 0;
  } catch (e) {
    if (!(isDomainError(e) && e.code === 'conflict')) throw e;
    process.stderr.write(`sopdesk demo: ${e.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

/** The `onEmpty` hook of `sopdesk start`: the demo store of the configured size, loaded into an empty store. */
export function loadDemoOnFirstStart(
  config: Config,
  log: (line: string) => void = console.log,
): (ctx: AppContext) => Promise<void> {
  return async (ctx) => {
    const t0 = performance.now();
    const r = await loadDemo(
      ctx,
      { customers: config.demoCustomers, orders: config.demoOrders, seed: config.demoSeed },
      { actor: { kind: 'system', id: 'demo' } },
    );
    log(
      `loaded the demo store: ${r.customers} customers, ${r.products} products, ${r.orders} orders, ${r.conversations} conversations in ${Math.round(performance.now() - t0)} ms (see docs/demo-store.md)`,
    );
  };
}

/**
 * The Agent Inbox target: "a conversation of a customer with 300 orders usable in under 1 s cold in Chromium".
 * A customer with 300 orders (BENCH_SIDEBAR_ORDERS) (each with a line, a captured payment and a delivered package) and a conversation;
 * the built UI served by the real app; Debian's Chromium (playwright-core, CHROMIUM_PATH) opens the conversation.
 * Times are the page's own clock (performance.now(), 0 = navigation start), taken by a MutationObserver the moment
 * the conversation's messages show, the sidebar's first order card appears, and the moment the actions of every card shown are ready (the tool list
 * loaded and each card's availability, GET /v1/orders/{id}/actions, answered: `section.actions[data-ready]`). The
 * API requests the page made by then are counted, with those answered other than 2xx (a dry run refused was a 422).
 * Cold = a fresh browser context (no HTTP cache); warm = a reload in the same context. "Usable" is the later of the
 * messages shown and the actions ready. pgbench's TPC-B (8 clients, 10 s) runs after the page loads, so the figure sits
 * beside what the shared machine did in the same run.
 *
 *   npx tsx bench/sidebar-browser.ts                 # standalone: prints the figures as JSON
 *   import { sidebarBrowser } from './sidebar-browser.js'   # for bench/run.ts: SECTIONS['sidebar-browser']
 * On the PostgreSQL of BENCH_DATABASE_URL (a scratch database, dropped after), or embedded with BENCH_EMBEDDED=1.
 */
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { openDatabase } from '../src/db/database.js';
import { createApp } from '../src/http/app.js';
import { createToken } from '../src/app/tokens/tokens.js';
import { ensureWebBuild, WEB_ROOT } from '../src/cli/web-build.js';
import { systemClock } from '../src/kernel/clock.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const ORDERS = Number(process.env.BENCH_SIDEBAR_ORDERS ?? 300);
const RUNS = Number(process.env.BENCH_SIDEBAR_RUNS ?? 10);
const CUSTOMER = 'cus_sidebarbench0001';
const CONVERSATION = 'cnv_sidebarbench0001';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Runs in the page before any script: records when the first order card and its actions appear. */
const OBSERVER = `(() => {
  const marks = (window.__sidebarMarks = {});
  const look = () => {
    if (marks.messages === undefined && document.querySelector('ol.thread')) marks.messages = performance.now();
    if (marks.orders === undefined && document.querySelector('aside.sidebar article.order')) marks.orders = performance.now();
    const cards = document.querySelectorAll('aside.sidebar article.order').length;
    if (marks.actions === undefined && cards > 0 && document.querySelectorAll('aside.sidebar article.order section.actions[data-ready] button').length > 0
      && document.querySelectorAll('aside.sidebar article.order section.actions[data-ready]').length === cards) marks.actions = performance.now();
    if (marks.orders !== undefined && marks.actions !== undefined && marks.messages !== undefined) observer.disconnect();
  };
  const observer = new MutationObserver(look);
  document.addEventListener('DOMContentLoaded', () => { marks.domContentLoaded = performance.now(); look(); observer.observe(document.body, { childList: true, subtree: true }); });
})();`;

interface Marks {
  messages: number;
  orders: number;
  actions: number;
  domContentLoaded: number;
  /** The later of the messages shown and the actions ready. */
  usable: number;
  /** API requests made by the time the actions were ready, and those answered other than 2xx. */
  requests: number;
  failed: number;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const summary = (xs: number[]) => ({
  p50ms: Math.round(pct(xs, 50)),
  p95ms: Math.round(pct(xs, 95)),
  maxMs: Math.round(Math.max(...xs)),
});

async function fill(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<void> {
  await db.execute(
    sql`insert into customers (id, name, created_at, updated_at) values (${CUSTOMER}, 'Bench Buyer', now(), now())`,
  );
  await db.execute(
    sql`insert into customer_emails (customer_id, email, is_primary) values (${CUSTOMER}, 'bench.buyer@example.com', true)`,
  );
  await db.execute(sql`insert into orders (id, number, customer_id, channel, currency, placed_at, shipping_fee, discount, tax, created_at, updated_at)
    select 'ord_sb' || lpad(g::text, 8, '0'), 500000 + g, ${CUSTOMER}, 'web', 'USD', now() - (g || ' hours')::interval, 500, 0, 0, now(), now() from generate_series(1, ${ORDERS}) g`);
  await db.execute(sql`insert into order_lines (id, order_id, position, sku, title, quantity, unit_price, discount)
    select 'li_sb' || lpad(g::text, 8, '0'), 'ord_sb' || lpad(g::text, 8, '0'), 0, 'SKU-' || g, 'Item ' || g, 2, 1500, 0 from generate_series(1, ${ORDERS}) g`);
  await db.execute(sql`insert into payment_transactions (id, order_id, kind, status, amount, currency, processed_at)
    select 'txn_sb' || lpad(g::text, 8, '0'), 'ord_sb' || lpad(g::text, 8, '0'), 'sale', 'success', 3500, 'USD', now() from generate_series(1, ${ORDERS}) g`);
  await db.execute(sql`insert into packages (id, order_id, carrier, tracking_number, tracking_url, status, created_at, updated_at)
    select 'pkg_sb' || lpad(g::text, 8, '0'), 'ord_sb' || lpad(g::text, 8, '0'), 'AusPost', 'AP' || g, 'https://track.example/AP' || g, 'delivered', now(), now() from generate_series(1, ${ORDERS}) g`);
  await db.execute(sql`insert into package_items (package_id, line_id, quantity)
    select 'pkg_sb' || lpad(g::text, 8, '0'), 'li_sb' || lpad(g::text, 8, '0'), 2 from generate_series(1, ${ORDERS}) g`);
  await db.execute(sql`insert into conversations (id, customer_id, channel, subject, status, priority, tags, last_activity_at, created_at, updated_at)
    values (${CONVERSATION}, ${CUSTOMER}, 'email', 'Where is my order?', 'open', 'normal', '[]'::jsonb, now(), now(), now())`);
  await db.execute(sql`insert into messages (id, conversation_id, kind, author_kind, body, created_at)
    values ('msg_sidebarbench0001', ${CONVERSATION}, 'inbound', 'customer', 'Hello, which of my orders has shipped?', now())`);
  await db.execute(sql`analyze`);
}

export async function sidebarBrowser() {
  await ensureWebBuild((l) => log(l));
  const scratch = process.env.BENCH_EMBEDDED ? null : await scratchDatabase('sidebar');
  const database = await openDatabase(scratch ? { url: scratch.url } : {});
  const ctx = { database, clock: systemClock };
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: createApp(ctx, { webRoot: WEB_ROOT }).fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s),
    );
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    await fill(database.db);
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const { token } = await createToken(ctx, { role: 'agent', name: 'bench' });
    const orders = (await (
      await fetch(`${url}/v1/customers/${CUSTOMER}/orders?limit=1000`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { orders: unknown[] };
    if (orders.orders.length !== Math.min(ORDERS, 1000))
      throw new Error(`expected ${ORDERS} orders, the API lists ${orders.orders.length}`);

    const cold: Marks[] = [];
    const warm: Marks[] = [];
    const open = async (page: import('playwright-core').Page, how: 'goto' | 'reload'): Promise<Marks> => {
      if (how === 'goto') await page.goto(`${url}/#/c/${CONVERSATION}`);
      else await page.reload();
      await page.waitForFunction(
        'window.__sidebarMarks.actions !== undefined && window.__sidebarMarks.messages !== undefined',
        undefined,
        { timeout: 30_000 },
      );
      if (process.env.BENCH_SIDEBAR_TRACE)
        log(
          JSON.stringify(
            await page.evaluate(
              `performance.getEntriesByType('resource').map((r) => [r.name.replace(location.origin, ''), Math.round(r.startTime), Math.round(r.responseEnd)])`,
            ),
          ),
        );
      return page.evaluate(`(() => {
        const api = performance.getEntriesByType('resource').filter((r) => r.name.includes('/v1/') && r.startTime <= window.__sidebarMarks.actions);
        const m = window.__sidebarMarks;
        return { ...m, usable: Math.max(m.messages, m.actions), requests: api.length, failed: api.filter((r) => r.responseStatus && (r.responseStatus < 200 || r.responseStatus > 299)).length };
      })()`) as Promise<Marks>;
    };
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(OBSERVER);
      const signedIn = await context.request.post(`${url}/v1/session`, { data: { token } });
      if (!signedIn.ok()) throw new Error(`sign in: ${signedIn.status()}`);
      const page = await context.newPage();
      cold.push(await open(page, 'goto'));
      warm.push(await open(page, 'reload'));
      await context.close();
    }
    log('pgbench TPC-B, 8 clients, 10 s');
    const pgbenchTpcb = await pgbench('tpcb', 8, 10);
    const figures = {
      orders: ORDERS,
      runs: RUNS,
      database: database.kind,
      target: 'a conversation of a customer with 300 orders usable in under 1 s cold',
      pgbenchTpcb,
      cold: {
        usable: summary(cold.map((m) => m.usable)),
        messagesVisible: summary(cold.map((m) => m.messages)),
        firstOrdersVisible: summary(cold.map((m) => m.orders)),
        actionsReady: summary(cold.map((m) => m.actions)),
        domContentLoaded: summary(cold.map((m) => m.domContentLoaded)),
        apiRequests: Math.max(...cold.map((m) => m.requests)),
        apiRequestsNot2xx: Math.max(...cold.map((m) => m.failed)),
      },
      warm: {
        usable: summary(warm.map((m) => m.usable)),
        firstOrdersVisible: summary(warm.map((m) => m.orders)),
        actionsReady: summary(warm.map((m) => m.actions)),
      },
    };
    return { ...figures, underOneSecond: figures.cold.usable.p95ms < 1000 };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
    await database.close();
    await scratch?.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  sidebarBrowser().then(
    (f) => process.stdout.write(JSON.stringify(f, null, 2) + '\n'),
    (e: unknown) => {
      process.stderr.write(`sidebar-browser failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}

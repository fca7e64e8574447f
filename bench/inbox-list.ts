/**
 * Inbox list speed with 100,000 conversations: p50 / p95 of GET /v1/conversations (in-process HTTP, no network)
 * for the filters agents use, and keyset paging deep into the list.
 *   npx tsx bench/inbox-list.ts                     # embedded PGlite, in memory
 *   DATABASE_URL=postgres://…/db npx tsx bench/inbox-list.ts   # PostgreSQL (the database is filled, use an empty one)
 */
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/database.js';
import { createApp } from '../src/http/app.js';
import { createToken } from '../src/app/tokens/tokens.js';
import { systemClock } from '../src/kernel/clock.js';

const N = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const CUSTOMERS = Math.ceil(N / 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);

const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {});
const ctx = { database, clock: systemClock };
const db = database.db;
const t0 = performance.now();
await db.execute(sql`insert into customers (id, name, created_at, updated_at)
  select 'cus_b' || lpad(g::text, 8, '0'), 'Customer ' || g, now(), now() from generate_series(1, ${CUSTOMERS}) g`);
await db.execute(sql`insert into customer_emails (customer_id, email, is_primary)
  select 'cus_b' || lpad(g::text, 8, '0'), 'c' || g || '@example.com', true from generate_series(1, ${CUSTOMERS}) g`);
await db.execute(sql`insert into orders (id, number, customer_id, channel, currency, placed_at, shipping_fee, discount, tax, created_at, updated_at)
  select 'ord_b' || lpad(g::text, 8, '0'), 100000 + g, 'cus_b' || lpad(g::text, 8, '0'), 'web', 'USD', now(), 0, 0, 0, now(), now()
  from generate_series(1, ${CUSTOMERS}) g`);
await db.execute(sql`insert into conversations (id, customer_id, channel, subject, status, priority, assignee_kind, assignee_id, tags, external_ref, last_activity_at, created_at, updated_at)
  select 'cnv_b' || lpad(g::text, 8, '0'), 'cus_b' || lpad((1 + g % ${CUSTOMERS})::text, 8, '0'),
    (array['email','chat','phone','kogan'])[1 + g % 4], 'Question ' || g,
    (array['open','open','pending','waiting_for_human','resolved','closed','closed','closed'])[1 + g % 8], 'normal',
    case when g % 3 = 0 then 'human' when g % 3 = 1 then 'ai_agent' end,
    case when g % 3 = 0 then 'agent' || (g % 10) when g % 3 = 1 then 'ai_agent' end,
    '[]'::jsonb, null, now() - (g || ' seconds')::interval, now(), now()
  from generate_series(1, ${N}) g`);
await db.execute(sql`insert into messages (id, conversation_id, kind, author_kind, body, created_at)
  select 'msg_b' || lpad(g::text, 8, '0'), 'cnv_b' || lpad(g::text, 8, '0'), 'inbound', 'customer', 'Hello, about my order ' || g, now()
  from generate_series(1, ${N}) g`);
await db.execute(sql`analyze`);
console.log(
  `loaded ${N} conversations, ${CUSTOMERS} customers in ${Math.round(performance.now() - t0)} ms (${database.kind})`,
);

const app = createApp(ctx);
const { token } = await createToken(ctx, { role: 'agent', name: 'agent3' });
const get = async (path: string) => {
  const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { items: unknown[]; nextCursor: string | null };
};

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function measure(name: string, path: () => Promise<string> | string) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const p = await path();
    const t = performance.now();
    await get(p);
    times.push(performance.now() - t);
  }
  console.log(`| ${name} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} |`);
}

let deep = '';
{
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++)
    cursor = (await get(`/v1/conversations?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).nextCursor;
  deep = cursor ?? '';
}
let k = 0;
console.log('| query (limit 50) | p50 ms | p95 ms |\n|---|---|---|');
await measure('all, first page', () => '/v1/conversations?limit=50');
await measure('all, page 21 (keyset)', () => `/v1/conversations?limit=50&cursor=${deep}`);
await measure('status=open', () => '/v1/conversations?limit=50&status=open');
await measure('waiting for human', () => '/v1/conversations?limit=50&waiting_for_human=true');
await measure(
  'channel=kogan, status=open,pending',
  () => '/v1/conversations?limit=50&channel=kogan&status=open,pending',
);
await measure('assignee=me', () => '/v1/conversations?limit=50&assignee=me');
await measure(
  'search by customer email',
  () => `/v1/conversations?limit=50&q=c${1 + ((k++ * 7919) % CUSTOMERS)}@example.com`,
);
await measure('search by order number', () => `/v1/conversations?limit=50&q=%23${100001 + ((k++ * 7919) % CUSTOMERS)}`);

// The customer sidebar of a customer with 1,000 orders (each with a line, a payment and a delivered package).
const BIG = 'cus_b00000001';
await db.execute(sql`insert into orders (id, number, customer_id, channel, currency, placed_at, shipping_fee, discount, tax, created_at, updated_at)
  select 'ord_s' || lpad(g::text, 8, '0'), 900000 + g, ${BIG}, 'web', 'USD', now() - (g || ' hours')::interval, 500, 0, 0, now(), now() from generate_series(1, 1000) g`);
await db.execute(sql`insert into order_lines (id, order_id, position, sku, title, quantity, unit_price, discount)
  select 'li_s' || lpad(g::text, 8, '0'), 'ord_s' || lpad(g::text, 8, '0'), 0, 'SKU-' || g, 'Item ' || g, 2, 1500, 0 from generate_series(1, 1000) g`);
await db.execute(sql`insert into payment_transactions (id, order_id, kind, status, amount, currency, processed_at)
  select 'txn_s' || lpad(g::text, 8, '0'), 'ord_s' || lpad(g::text, 8, '0'), 'sale', 'success', 3500, 'USD', now() from generate_series(1, 1000) g`);
await db.execute(sql`insert into packages (id, order_id, carrier, tracking_number, tracking_url, status, created_at, updated_at)
  select 'pkg_s' || lpad(g::text, 8, '0'), 'ord_s' || lpad(g::text, 8, '0'), 'AusPost', 'AP' || g, 'https://track.example/AP' || g, 'delivered', now(), now() from generate_series(1, 1000) g`);
await db.execute(sql`insert into package_items (package_id, line_id, quantity)
  select 'pkg_s' || lpad(g::text, 8, '0'), 'li_s' || lpad(g::text, 8, '0'), 1 from generate_series(1, 1000) g`);
await db.execute(sql`insert into timeline_events (id, customer_id, order_id, type, actor_kind, data, occurred_at)
  select 'evt_s' || lpad(g::text, 8, '0'), ${BIG}, 'ord_s' || lpad(g::text, 8, '0'), 'order.created', 'system', '{}'::jsonb, now() from generate_series(1, 1000) g`);
await db.execute(sql`analyze`);
console.log('\n| sidebar of a customer with 1,000 orders | p50 ms | p95 ms |\n|---|---|---|');
await measure('customer', () => `/v1/customers/${BIG}`);
await measure('orders, first 11 (what the sidebar loads)', () => `/v1/customers/${BIG}/orders?limit=11&offset=0`);
await measure('orders, all 1,000', () => `/v1/customers/${BIG}/orders?limit=1000`);
await measure('timeline, 30 newest', () => `/v1/customers/${BIG}/timeline?limit=30`);
await measure('conversations of the customer', () => `/v1/conversations?customer_id=${BIG}&limit=50`);
await database.close();

/**
 * `tsx bench/seed-reads.ts DATABASE_URL [customers] [orders]`: fills an empty PostgreSQL database with a
 * synthetic store for read benchmarks (default 20,000 customers, 100,000 orders), through the same row
 * builders as the ingest API (`customerRows`, `orderRows`), in batches. Deterministic; no timeline events.
 * For read measurements while `sopdesk demo` is not at hand; `npm run bench` itself uses the demo store.
 */
import { sql } from 'drizzle-orm';
import * as s from '../src/db/schema/index.js';
import { openDatabase } from '../src/db/database.js';
import {
  customerRows,
  orderRows,
  productRows,
  type CustomerRows,
  type OrderRows,
  type VariantRef,
} from '../src/app/ingest/rows.js';
import { CustomerInput, OrderInput, ProductInput } from '../src/app/ingest/schemas.js';

const STATUSES = ['label_created', 'ready_for_pickup', 'in_transit', 'out_for_delivery', 'delivered'] as const;

/** A small deterministic PRNG (mulberry32), so two seeds of the same size are the same store. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export async function seedReads(
  url: string,
  customers = 20_000,
  orders = 100_000,
): Promise<{ customerIds: string[]; emails: string[] }> {
  const database = await openDatabase({ url, poolSize: 2 });
  const rand = rng(1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = '2026-11-20T10:00:00.000Z';
  try {
    const variants: VariantRef[] = [];
    await database.transaction(async (tx) => {
      for (let p = 0; p < 40; p++) {
        const input = ProductInput.parse({
          id: `prod_bench${pad(p, 4)}`,
          title: `Product ${p}`,
          category: p % 2 ? 'apparel' : 'books',
          returnable: p % 7 !== 0,
          variants: [0, 1, 2].map((v) => ({
            id: `var_bench${pad(p, 4)}${v}`,
            sku: `SKU-${p}-${v}`,
            title: `V${v}`,
            price: 500 + 250 * ((p + v) % 20),
            currency: 'USD',
          })),
        });
        const r = productRows(input, now);
        await tx.insert(s.products).values(r.product);
        await tx.insert(s.variants).values(r.variants);
        for (const v of r.variants)
          variants.push({
            id: v.id!,
            sku: v.sku,
            title: v.title,
            productTitle: input.title,
            price: v.price,
            currency: 'USD',
          });
      }
    });
    const bySku = new Map(variants.map((v) => [v.sku, v]));

    const customerIds: string[] = [];
    const emails: string[] = [];
    const BATCH = 1000;
    for (let b = 0; b < customers; b += BATCH) {
      const batch: CustomerRows[] = [];
      for (let i = b; i < Math.min(customers, b + BATCH); i++) {
        const id = `cus_bench${pad(i, 8)}`;
        const email = `customer${i}@example.com`;
        const input = CustomerInput.parse({
          id,
          name: `Customer ${i}`,
          emails: [email, ...(i % 3 === 0 ? [`alt${i}@example.net`] : [])],
          phone: `+1 555 ${pad(i, 7)}`,
          addresses: [
            { line1: `${i} Main St`, city: 'Springfield', zip: pad(i % 99999, 5), country: 'US', isDefault: true },
          ],
          externalIds: { shopify: String(7_000_000 + i) },
          paymentMethods: [{ id: `pm_bench${pad(i, 8)}`, kind: 'card', brand: 'Visa', last4: pad(i % 10000, 4) }],
        });
        batch.push(customerRows(input, now));
        customerIds.push(id);
        emails.push(email);
      }
      await database.transaction(async (tx) => {
        await tx.insert(s.customers).values(batch.map((r) => r.customer));
        await tx.insert(s.customerEmails).values(batch.flatMap((r) => r.emails));
        await tx.insert(s.customerAddresses).values(batch.flatMap((r) => r.addresses));
        await tx.insert(s.customerExternalIds).values(batch.flatMap((r) => r.externalIds));
        await tx.insert(s.paymentMethods).values(batch.flatMap((r) => r.paymentMethods));
      });
    }

    for (let b = 0; b < orders; b += BATCH) {
      const batch: OrderRows[] = [];
      for (let i = b; i < Math.min(orders, b + BATCH); i++) {
        const c = i % customers;
        const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
          sku: `SKU-${Math.floor(rand() * 40)}-${Math.floor(rand() * 3)}`,
          quantity: 1 + Math.floor(rand() * 3),
        }));
        const subtotal = lines.reduce((a, l) => a + l.quantity * bySku.get(l.sku)!.price, 0);
        const placedAt = new Date(Date.parse(now) - Math.floor(rand() * 200) * 86_400_000).toISOString();
        const paid = rand() < 0.9;
        const shipped = paid && rand() < 0.7;
        const input = OrderInput.parse({
          id: `ord_bench${pad(i, 8)}`,
          customerId: `cus_bench${pad(c, 8)}`,
          currency: 'USD',
          placedAt,
          shippingFee: 995,
          lines,
          transactions: paid
            ? [
                {
                  id: `txn_bench${pad(i, 8)}`,
                  kind: 'sale',
                  amount: subtotal + 995,
                  paymentMethodId: `pm_bench${pad(c, 8)}`,
                  processedAt: placedAt,
                },
              ]
            : [],
          packages: shipped
            ? [
                {
                  id: `pkg_bench${pad(i, 8)}`,
                  carrier: 'UPS',
                  trackingNumber: `1Z${pad(i, 10)}`,
                  trackingUrl: `https://track.example.com/1Z${pad(i, 10)}`,
                  status: pick(STATUSES),
                  estimatedDeliveryAt: now,
                  createdAt: placedAt,
                  items: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })).slice(0, 1),
                },
              ]
            : [],
        });
        batch.push(orderRows(input, { now, number: 1001 + i, variant: (sku) => bySku.get(sku) }));
      }
      await database.transaction(async (tx) => {
        await tx.insert(s.orders).values(batch.map((r) => r.order));
        await tx.insert(s.orderLines).values(batch.flatMap((r) => r.lines));
        const txns = batch.flatMap((r) => r.transactions);
        if (txns.length) await tx.insert(s.paymentTransactions).values(txns);
        const pkgs = batch.flatMap((r) => r.packages);
        if (pkgs.length) await tx.insert(s.packages).values(pkgs);
        const items = batch.flatMap((r) => r.packageItems);
        if (items.length) await tx.insert(s.packageItems).values(items);
      });
    }
    await database.db.execute(sql.raw(`select setval('order_number_seq', ${1000 + orders})`));
    await database.db.execute(sql`analyze`);
    return { customerIds, emails };
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [url, c, o] = process.argv.slice(2);
  if (!url) {
    process.stderr.write('usage: tsx bench/seed-reads.ts DATABASE_URL [customers] [orders]\n');
    process.exit(2);
  }
  const t = performance.now();
  await seedReads(url, Number(c ?? 20_000), Number(o ?? 100_000));
  process.stderr.write(`seeded in ${Math.round(performance.now() - t)} ms\n`);
}

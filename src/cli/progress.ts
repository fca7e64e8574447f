import type { ImportProgress } from '../app/snapshot/import-snapshot.js';

/** Prints import progress on stderr at most once a second: records so far, records and orders per second. */
export function progressPrinter(label: string): {
  update(p: ImportProgress): void;
  done(p: { customers: number; products: number; orders: number }, ms: number): void;
} {
  let last = 0;
  return {
    update(p) {
      if (p.elapsedMs - last < 1000) return;
      last = p.elapsedMs;
      const s = p.elapsedMs / 1000;
      const records = p.customers + p.products + p.orders;
      process.stderr.write(
        `${label}: ${records} records — ${p.customers} customers, ${p.products} products, ${p.orders} orders (${Math.round(records / s)} records/s, ${Math.round(p.orders / s)} orders/s)\n`,
      );
    },
    done(p, ms) {
      const rate = ms > 0 ? Math.round(p.orders / (ms / 1000)) : 0;
      process.stderr.write(
        `${label}: done — ${p.customers} customers, ${p.products} products, ${p.orders} orders in ${(ms / 1000).toFixed(1)} s (${rate} orders/s)\n`,
      );
    },
  };
}

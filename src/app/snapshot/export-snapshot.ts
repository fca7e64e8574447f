/**
 * Writes the whole store as a JSON Lines snapshot (docs/snapshot-format.md), in a stable order —
 * customers by id, products by id, orders by number — so export → import into an empty store → export
 * gives the same bytes. Read in pages inside one repeatable-read transaction: a consistent picture, in
 * bounded memory.
 */
import { exportCustomers, exportOrders, exportProducts, readOnlySnapshot } from '../../db/repo/snapshot.js';
import type { AppContext } from '../context.js';

export interface ExportSummary {
  customers: number;
  products: number;
  orders: number;
}

const PAGE = 1000;

interface TxRecord {
  id: string;
  parentId?: string;
}

/** A transaction's parent must come before it (the importer checks `parentId` names an earlier one). */
function parentsFirst(txs: TxRecord[]): TxRecord[] {
  const out: TxRecord[] = [];
  const placed = new Set<string>();
  const ids = new Set(txs.map((t) => t.id));
  let rest = txs;
  while (rest.length) {
    const next: TxRecord[] = [];
    for (const t of rest) {
      if (!t.parentId || placed.has(t.parentId) || !ids.has(t.parentId)) {
        out.push(t);
        placed.add(t.id);
      } else next.push(t);
    }
    if (next.length === rest.length) return [...out, ...next];
    rest = next;
  }
  return out;
}

/**
 * Calls `emit` with the snapshot text, one page of records (JSON Lines, each ending in a newline) at a time;
 * awaits it, so a slow reader slows the export down instead of filling memory.
 */
export async function exportSnapshot(
  ctx: AppContext,
  emit: (chunk: string) => Promise<void> | void,
): Promise<ExportSummary> {
  return ctx.database.transaction(async (tx) => {
    await readOnlySnapshot(tx);
    const counts = { customers: 0, products: 0, orders: 0 };
    for (let after = ''; ; ) {
      const page = await exportCustomers(tx, after, PAGE);
      if (page.length) await emit(page.map((r) => JSON.stringify(r) + '\n').join(''));
      counts.customers += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id ?? after;
    }
    for (let after = ''; ; ) {
      const page = await exportProducts(tx, after, PAGE);
      if (page.length) await emit(page.map((r) => JSON.stringify(r) + '\n').join(''));
      counts.products += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.id ?? after;
    }
    for (let after = 0; ; ) {
      const page = await exportOrders(tx, after, PAGE);
      let chunk = '';
      for (const r of page) {
        if (r.transactions.length > 1) r.transactions = parentsFirst(r.transactions);
        chunk += JSON.stringify(r) + '\n';
      }
      if (chunk) await emit(chunk);
      counts.orders += page.length;
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.number ?? after;
    }
    return counts;
  });
}

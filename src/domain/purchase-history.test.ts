import { describe, expect, it } from 'vitest';
import { diffPurchaseHistory, type PurchaseEntry } from './purchase-history.js';

const e = (itemId: string, sku: string, codes: string[] = []): PurchaseEntry => ({
  itemId,
  orderId: 'ord_1',
  orderName: '#1001',
  sku,
  productId: 'prod_1',
  productTitle: 'P',
  quantity: 1,
  codes,
});

describe('purchase-history diff', () => {
  it('reports added, removed and updated entries keyed by item', () => {
    const d = diffPurchaseHistory([e('li_1', 'A', ['C1']), e('li_2', 'B')], [e('li_1', 'A2', ['C2']), e('li_3', 'C')]);
    expect(d.changed).toBe(true);
    expect(d.added.map((x) => x.itemId)).toEqual(['li_3']);
    expect(d.removed.map((x) => x.itemId)).toEqual(['li_2']);
    expect(d.updated.map((u) => [u.before.sku, u.after.sku])).toEqual([['A', 'A2']]);
  });

  it('reports no change for the same history', () => {
    const h = [e('li_1', 'A', ['C1'])];
    expect(
      diffPurchaseHistory(
        h,
        h.map((x) => ({ ...x, codes: [...x.codes] })),
      ),
    ).toEqual({ changed: false, added: [], removed: [], updated: [] });
  });
});

/**
 * A customer's purchase history as the internal management system (IMS) holds it: one entry per order
 * line, keyed by the line id. The diff says what a sync changed (the product-swap procedure: "a green box indicating the
 * purchase history has changed").
 */
export interface PurchaseEntry {
  /** The order line id (li_…): stable across a product swap, so a swap shows as an update. */
  itemId: string;
  orderId: string;
  /** "#1001". */
  orderName: string;
  sku: string;
  productId: string | null;
  productTitle: string;
  quantity: number;
  /** Active access codes, sorted. */
  codes: string[];
}

export interface PurchaseHistoryDiff {
  changed: boolean;
  added: PurchaseEntry[];
  removed: PurchaseEntry[];
  updated: { before: PurchaseEntry; after: PurchaseEntry }[];
}

function same(a: PurchaseEntry, b: PurchaseEntry): boolean {
  return (
    a.sku === b.sku &&
    a.productId === b.productId &&
    a.quantity === b.quantity &&
    a.orderId === b.orderId &&
    a.codes.length === b.codes.length &&
    a.codes.every((c, i) => c === b.codes[i])
  );
}

export function diffPurchaseHistory(
  previous: readonly PurchaseEntry[],
  next: readonly PurchaseEntry[],
): PurchaseHistoryDiff {
  const before = new Map(previous.map((e) => [e.itemId, e]));
  const after = new Map(next.map((e) => [e.itemId, e]));
  const added = next.filter((e) => !before.has(e.itemId));
  const removed = previous.filter((e) => !after.has(e.itemId));
  const updated = next.flatMap((e) => {
    const b = before.get(e.itemId);
    return b && !same(b, e) ? [{ before: b, after: e }] : [];
  });
  return { changed: added.length + removed.length + updated.length > 0, added, removed, updated };
}

/** What sopdesk sends the IMS on a sync: the customer's whole current purchase history. */
export interface PurchaseHistoryPush {
  imsId: string;
  customerId: string;
  email: string | null;
  entries: PurchaseEntry[];
}

/** The policy of an IMS that cannot be reached or answers otherwise than its contract (`ims_unavailable`). */
export const IMS_UNAVAILABLE_POLICY =
  'The purchase history counts as synced only once the IMS confirms it; nothing was recorded, so it is safe to try again.';

/**
 * The one call sopdesk makes to the internal management system. Implementations: the built-in stand-in
 * (src/connectors/ims/builtin.ts) and the HTTP client (src/connectors/ims/http.ts, SOPDESK_IMS_URL).
 */
export interface ImsPort {
  /** Replaces the customer's purchase history in the IMS and answers what changed since the last push. */
  pushPurchaseHistory(push: PurchaseHistoryPush): Promise<PurchaseHistoryDiff>;
}

/** The IMS port, declared with the purchase-history rules it serves; re-exported here beside its implementations. */
export type { ImsPort, PurchaseHistoryPush, PurchaseEntry, PurchaseHistoryDiff } from '../../domain/purchase-history.js';

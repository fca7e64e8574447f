/**
 * A store snapshot is a sequence of records (docs/snapshot-format.md): customers, products and orders,
 * each validated by the same schema as the ingest API, tagged with its `type`.
 */
import { z } from 'zod';
import { CustomerInput, OrderInput, ProductInput } from '../ingest/schemas.js';

export const CustomerRecord = CustomerInput.extend({ type: z.literal('customer').describe('Record type') });
export const ProductRecord = ProductInput.extend({ type: z.literal('product').describe('Record type') });
export const OrderRecord = OrderInput.extend({ type: z.literal('order').describe('Record type') });

export const SnapshotRecord = z.discriminatedUnion('type', [CustomerRecord, ProductRecord, OrderRecord]);
export type SnapshotRecord = z.infer<typeof SnapshotRecord>;
export type SnapshotRecordInput = z.input<typeof SnapshotRecord>;

/** One record as read from a snapshot, with where it was found ("line 12", "orders[3]"). */
export interface SourceRecord {
  where: string;
  /** 1-based line of a JSON Lines snapshot; absent for the single-document form. */
  line?: number | undefined;
  value: unknown;
}

/** The single-document form: `{ "customers": [...], "products": [...], "orders": [...] }`. */
export const SnapshotDocument = z.object({
  customers: z.array(z.unknown()).default([]),
  products: z.array(z.unknown()).default([]),
  orders: z.array(z.unknown()).default([]),
});

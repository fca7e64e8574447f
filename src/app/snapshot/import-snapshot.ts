/**
 * Loads a store snapshot (docs/snapshot-format.md) in ONE transaction: every record is validated with the
 * ingest schemas and turned into rows by the same code as the ingest API, then inserted in large batches
 * (one `unnest` statement per table and batch). The first bad record stops the import with an error naming
 * the record (line and id) and the field, and nothing of it is written.
 */
import type { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { pgError, translateDbError } from '../../db/errors.js';
import {
  analyzeStoreTables,
  insertCustomerBatch,
  insertOrderBatch,
  insertProductBatch,
  isStoreEmpty,
  loadVariantRefs,
  moveOrderNumberSequence,
  nextOrderNumbers,
  paymentMethodOwners,
} from '../../db/repo/snapshot.js';
import { DomainError, isDomainError, type ErrorCode } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import {
  customerRows,
  orderRows,
  productRows,
  type CustomerRows,
  type OrderRows,
  type VariantRef,
} from '../ingest/rows.js';
import type { OrderInput, ProductInput } from '../ingest/schemas.js';
import { SnapshotRecord, type SourceRecord } from './records.js';

export interface ImportProgress {
  customers: number;
  products: number;
  orders: number;
  /** Milliseconds since the import started. */
  elapsedMs: number;
}

export interface ImportOptions extends WriteOptions {
  /** Called after every batch written. */
  onProgress?: ((p: ImportProgress) => void) | undefined;
  /** Orders per batch (customers and products use the same size). */
  batchSize?: number | undefined;
}

export interface ImportSummary {
  customers: number;
  products: number;
  orders: number;
  /** The store was empty before this import. */
  intoEmptyStore: boolean;
}

interface Located<T> {
  src: SourceRecord;
  input: T;
}

function label(src: SourceRecord, type: string, id: unknown): string {
  return typeof id === 'string' ? `${src.where} (${type} ${id})` : `${src.where} (${type})`;
}

function recordError(
  code: ErrorCode,
  src: SourceRecord,
  type: string,
  id: unknown,
  fields: { path: string; message: string }[],
  extra: Record<string, unknown> = {},
): DomainError {
  const record = label(src, type, id);
  const first = fields[0] ?? { path: '(record)', message: 'invalid' };
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  return new DomainError(code, `${record}: ${first.path}: ${first.message}${more}. Nothing was imported.`, {
    ...extra,
    record,
    ...(src.line !== undefined ? { line: src.line } : {}),
    ...(typeof id === 'string' ? { recordId: id } : {}),
    fields,
  });
}

function fromZod(src: SourceRecord, error: z.ZodError): DomainError {
  const v = src.value as { type?: unknown; id?: unknown } | null;
  const type = typeof v?.type === 'string' ? v.type : 'record';
  const fields = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(record)', message: i.message }));
  return recordError('invalid_argument', src, type, v?.id, fields);
}

/** Re-throws a rule violation found while building rows with the record it belongs to. */
function inRecord<T>(src: SourceRecord, type: string, id: unknown, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isDomainError(e))
      throw recordError(
        e.code,
        src,
        type,
        id,
        e.details.fields ?? [{ path: '(record)', message: e.message }],
        e.details.reason ? { reason: e.details.reason } : {},
      );
    throw e;
  }
}

/**
 * Finds the field of `value` named `key` (or its plural, for lists such as `emails`) whose value is
 * `needle`: the field a database error is about.
 */
function findLeaf(value: unknown, key: string, needle: string, path: string[] = []): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') {
    const named = path.filter((p) => !/^\d+$/.test(p)).at(-1);
    return (named === key || named === `${key}s`) && String(value).toLowerCase() === needle ? path : undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const hit = findLeaf(v, key, needle, [...path, k]);
    if (hit) return hit;
  }
  return undefined;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A constraint violation in a batch statement does not say which row: PostgreSQL's detail names the key
 * (`Key (number)=(1001) already exists.`); the offending record is the last one of the batch holding it.
 */
function locateDbError(e: unknown, batch: readonly Located<unknown>[], type: string): never {
  const pe = pgError(e);
  const m = pe?.detail ? /^Key \((.+)\)=\((.*)\) (already exists|is not present)/.exec(pe.detail) : null;
  if (pe && m) {
    const columns = m[1]!.split(', ');
    const values = m[2]!.split(', ');
    if (columns.length === values.length) {
      const key = camel(columns.at(-1)!.replace(/^lower\((.*)\)$/, '$1'));
      const needle = values.at(-1)!.toLowerCase();
      for (let i = batch.length - 1; i >= 0; i--) {
        const rec = batch[i]!;
        const path = findLeaf(rec.input, key, needle);
        if (!path) continue;
        const exists = m[3] === 'already exists';
        const message = exists
          ? `${m[2]} already exists in the store or earlier in the snapshot`
          : `${m[2]} does not exist; import it first`;
        throw recordError(
          exists ? 'conflict' : 'invalid_argument',
          rec.src,
          type,
          (rec.input as { id?: unknown }).id,
          [{ path: path.join('.'), message }],
          exists ? { reason: 'already_exists' } : {},
        );
      }
    }
  }
  const first = batch[0]?.src.where ?? '';
  const last = batch[batch.length - 1]?.src.where ?? '';
  translateDbError(e, `${type} records ${first}…${last}`);
}

class Loader {
  readonly counts = { customers: 0, products: 0, orders: 0 };
  private customers: Located<CustomerRows>[] = [];
  private products: Located<ProductInput>[] = [];
  private orders: Located<OrderInput>[] = [];
  private readonly variants = new Map<string, VariantRef>();
  /** Payment method id → customer id, for the customers of this snapshot and those looked up. */
  private readonly owners = new Map<string, string>();
  /** The order batch being written, if any. */
  private pending: Promise<void> | undefined;

  constructor(
    private readonly tx: Tx,
    private readonly now: string,
    private readonly batchSize: number,
    private readonly progress: () => void,
  ) {}

  async init(): Promise<void> {
    for (const v of await loadVariantRefs(this.tx)) this.variants.set(v.sku, v);
  }

  async add(src: SourceRecord): Promise<void> {
    const parsed = SnapshotRecord.safeParse(src.value);
    if (!parsed.success) throw fromZod(src, parsed.error);
    const rec = parsed.data;
    switch (rec.type) {
      case 'customer': {
        const { type: _t, ...input } = rec;
        const rows = inRecord(src, 'customer', input.id, () => customerRows(input, this.now));
        for (const m of rows.paymentMethods) this.owners.set(m.id!, rows.customer.id!);
        this.customers.push({ src, input: rows });
        if (this.customers.length >= this.batchSize) await this.flushCustomers();
        return;
      }
      case 'product': {
        const { type: _t, ...input } = rec;
        this.products.push({ src, input });
        if (this.products.length >= this.batchSize) await this.flushProducts();
        return;
      }
      case 'order': {
        const { type: _t, ...input } = rec;
        this.orders.push({ src, input });
        if (this.orders.length >= this.batchSize) await this.flushOrders();
        return;
      }
    }
  }

  async finish(): Promise<void> {
    await this.flushOrders();
    await this.flushCustomers();
    await this.flushProducts();
    await this.drain();
  }

  private async flushCustomers(): Promise<void> {
    const batch = this.customers;
    if (batch.length === 0) return;
    this.customers = [];
    const rows = batch.map((b) => b.input);
    await this.drain();
    try {
      await insertCustomerBatch(this.tx, {
        customers: rows.map((r) => r.customer),
        emails: rows.flatMap((r) => r.emails),
        addresses: rows.flatMap((r) => r.addresses),
        externalIds: rows.flatMap((r) => r.externalIds),
        paymentMethods: rows.flatMap((r) => r.paymentMethods),
      });
    } catch (e) {
      // Report against the record as the snapshot wrote it, so field paths match the file.
      locateDbError(
        e,
        batch.map((b) => ({ src: b.src, input: b.src.value })),
        'customer',
      );
    }
    this.counts.customers += batch.length;
    this.progress();
  }

  private async flushProducts(): Promise<void> {
    const batch = this.products;
    if (batch.length === 0) return;
    this.products = [];
    const rows = batch.map((b) => {
      const r = inRecord(b.src, 'product', b.input.id, () => productRows(b.input, this.now));
      return r;
    });
    await this.drain();
    try {
      await insertProductBatch(this.tx, {
        products: rows.map((r) => r.product),
        variants: rows.flatMap((r) => r.variants),
      });
    } catch (e) {
      locateDbError(
        e,
        batch.map((b) => ({ src: b.src, input: b.src.value })),
        'product',
      );
    }
    for (const r of rows) {
      for (const v of r.variants) {
        this.variants.set(v.sku, {
          id: v.id!,
          sku: v.sku,
          title: v.title,
          productTitle: r.product.title,
          price: v.price,
          currency: v.currency,
        });
      }
    }
    this.counts.products += batch.length;
    this.progress();
  }

  private async flushOrders(): Promise<void> {
    const batch = this.orders;
    if (batch.length === 0) return;
    // Orders refer to customers, payment methods and products: those still buffered go first.
    await this.flushCustomers();
    await this.flushProducts();
    this.orders = [];
    await this.drain();
    const numbers = await nextOrderNumbers(this.tx, batch.filter((b) => b.input.number === undefined).length);
    const unknownMethods = new Set<string>();
    for (const b of batch)
      for (const t of b.input.transactions)
        if (t.paymentMethodId && !this.owners.has(t.paymentMethodId)) unknownMethods.add(t.paymentMethodId);
    for (const o of await paymentMethodOwners(this.tx, [...unknownMethods])) this.owners.set(o.id, o.customerId);
    let k = 0;
    const all: OrderRows[] = batch.map((b) =>
      inRecord(b.src, 'order', b.input.id, () =>
        orderRows(b.input, {
          now: this.now,
          number: b.input.number ?? numbers[k++]!,
          variant: (sku) => this.variants.get(sku),
          paymentMethodOwner: (id) => this.owners.get(id),
        }),
      ),
    );
    // The statements run while the next batch is read and validated; the next flush waits for them.
    this.pending = (async () => {
      try {
        await insertOrderBatch(this.tx, {
          orders: all.map((r) => r.order),
          lines: all.flatMap((r) => r.lines),
          transactions: all.flatMap((r) => r.transactions),
          packages: all.flatMap((r) => r.packages),
          packageItems: all.flatMap((r) => r.packageItems),
          accessCodes: all.flatMap((r) => r.accessCodes),
        });
      } catch (e) {
        locateDbError(
          e,
          batch.map((b) => ({ src: b.src, input: b.src.value })),
          'order',
        );
      }
      this.counts.orders += batch.length;
      this.progress();
    })();
    // Handled here so a failure is never "unhandled" while the reader is busy; drain() re-throws it.
    this.pending.catch(() => {});
  }

  /** Waits for the batch being written; throws its error, if any. */
  async drain(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (p) await p;
  }

  /** After a failure elsewhere: let the batch in flight finish before the transaction rolls back. */
  async settle(): Promise<void> {
    await this.drain().catch(() => {});
  }
}

/**
 * Imports every record of `source` in one transaction and records one `store.imported` event.
 * Records may come in any order as long as what an order refers to (its customer, payment methods and
 * SKUs) comes before it or is already in the store.
 */
export async function importSnapshot(
  ctx: AppContext,
  source: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  // An import is not retried by key: the snapshot is streamed, so it cannot be hashed up front.
  const summary = await write(ctx, 'import_snapshot', null, { actor: opts.actor }, async ({ tx, now, record }) => {
    const intoEmptyStore = await isStoreEmpty(tx);
    const loader: Loader = new Loader(tx, now.toISOString(), opts.batchSize ?? 2000, () =>
      opts.onProgress?.({ ...loader.counts, elapsedMs: performance.now() - started }),
    );
    await loader.init();
    try {
      let n = 0;
      for await (const src of source) {
        await loader.add(src);
        // Let database replies in (they are I/O callbacks, not microtasks) while a batch is being written.
        if (++n % 200 === 0) await new Promise<void>((r) => setImmediate(r));
      }
      await loader.finish();
    } catch (e) {
      await loader.settle();
      throw e;
    }
    await moveOrderNumberSequence(tx);
    await record({ type: 'store.imported', customerId: null, data: { ...loader.counts } });
    return { ...loader.counts, intoEmptyStore };
  });
  await analyzeStoreTables(ctx.database.db);
  return summary;
}

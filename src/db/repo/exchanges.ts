import { eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import { exchangeItems, exchanges } from '../schema/index.js';

export interface ExchangeRecord {
  id: string;
  orderId: string;
  customerId: string;
  status: 'requested' | 'completed' | 'canceled';
  reason: string | null;
  priceDifference: number;
  currency: string;
  paymentMethodId: string | null;
  transactionId: string | null;
  createdAt: string;
  updatedAt: string;
  items: {
    itemId: string;
    quantity: number;
    fromVariantId: string | null;
    fromSku: string;
    toVariantId: string;
    toSku: string;
    fromUnitPrice: number;
    toUnitPrice: number;
  }[];
}

const ts = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

const exchangeJson = (where: SQL) => sql`
    select json_build_object(
      'id', e.id, 'orderId', e.order_id, 'customerId', e.customer_id, 'status', e.status, 'reason', e.reason,
      'priceDifference', e.price_difference, 'currency', e.currency, 'paymentMethodId', e.payment_method_id,
      'transactionId', e.transaction_id, 'createdAt', ${ts('e.created_at')}, 'updatedAt', ${ts('e.updated_at')},
      'items', coalesce((select json_agg(json_build_object('itemId', i.line_id, 'quantity', i.quantity,
        'fromVariantId', i.from_variant_id, 'fromSku', i.from_sku, 'toVariantId', i.to_variant_id, 'toSku', i.to_sku,
        'fromUnitPrice', i.from_unit_price, 'toUnitPrice', i.to_unit_price) order by i.line_id)
        from exchange_items i where i.exchange_id = e.id), '[]'::json)) as x
    from exchanges e where ${where}`;
const toExchange = (x: ExchangeRecord | string): ExchangeRecord =>
  typeof x === 'string' ? (JSON.parse(x) as ExchangeRecord) : x;

export async function findExchangeById(ex: Executor, id: string): Promise<ExchangeRecord | undefined> {
  const r = await rows<{ x: ExchangeRecord | string }>(ex, exchangeJson(sql`e.id = ${id}`));
  const x = r[0]?.x;
  return x === undefined ? undefined : toExchange(x);
}

/** The exchanges of an order, oldest first. */
export async function findExchangesOfOrder(ex: Executor, orderId: string): Promise<ExchangeRecord[]> {
  const r = await rows<{ x: ExchangeRecord | string }>(
    ex,
    sql`${exchangeJson(sql`e.order_id = ${orderId}`)} order by e.created_at, e.id`,
  );
  return r.map((x) => toExchange(x.x));
}

/** The exchanges of some orders, each order's oldest first, in one statement. */
export async function findExchangesOfOrders(ex: Executor, orderIds: readonly string[]): Promise<ExchangeRecord[]> {
  if (orderIds.length === 0) return [];
  const ids = sql.join(
    orderIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const r = await rows<{ x: ExchangeRecord | string }>(
    ex,
    sql`${exchangeJson(sql`e.order_id in (${ids})`)} order by e.created_at, e.id`,
  );
  return r.map((x) => toExchange(x.x));
}

/** Writes a new exchange and its items. */
export async function insertExchange(
  ex: Executor,
  x: Omit<ExchangeRecord, 'items' | 'createdAt' | 'updatedAt'> & { at: string },
  items: readonly ExchangeRecord['items'][number][],
): Promise<void> {
  const { at, ...row } = x;
  await ex.insert(exchanges).values({ ...row, createdAt: at, updatedAt: at });
  await ex.insert(exchangeItems).values(items.map(({ itemId, ...i }) => ({ exchangeId: x.id, lineId: itemId, ...i })));
}

export async function updateExchangeStatus(
  ex: Executor,
  u: { id: string; status: ExchangeRecord['status']; at: string },
): Promise<void> {
  await ex.update(exchanges).set({ status: u.status, updatedAt: u.at }).where(eq(exchanges.id, u.id));
}

/**
 * The Kogan port over the Kogan Marketplace API v2 (SOPDESK_KOGAN_URL, _SELLER_ID, _SELLER_TOKEN):
 *   {base}/api/marketplace/v2/orders/?status=ReleasedForShipment   GET: every open order in one answer
 *   {base}/api/marketplace/v2/orders/{ref}/           GET: one order
 *   {base}/api/marketplace/v2/orders/fulfill/         POST: dispatches `[{ ID, Items: [{ OrderItemID, SellerSku, Quantity,
 *                                                     ShippedDateUtc, ShippingCarrier, TrackingNumber }] }]`
 *   {base}/api/marketplace/v2/orders/{ref}/cancel/    POST: `{ OrderID, Items: [{ ID, SellerSku, Quantity, Reason }] }`,
 *                                                     unshipped lines, whole, with a reason from Kogan's cancel list
 *   {base}/api/marketplace/v2/orders/{ref}/refund/    POST: the same shape for whole shipped lines, a refund reason
 * As checked against Kogan's public documentation (developers.kogan.com, "API: Get Orders" /docs/api-get-orders,
 * "API: Cancel Order" /docs/api-cancel-order, "API: Refund Order" /docs/api-refund-order, "API: Fulfill Order"
 * /docs/api-fulfill-order):
 * - Get Orders takes `status` (required; only ReleasedForShipment), `limit` ("the number of orders to return. Default
 *   is no limit"), `startDateUTC` and `endDateUTC`; it documents no page, offset or `next` link. So the poll asks with
 *   no limit and gets every open order at once. The shape of the answer's body is not shown there: a list of orders is
 *   read, and so is `{ results, next }`, whose `next` is then followed.
 * - Cancel and refund name each line by `ID` (the line's id, as `OrderItemID` in a dispatch), with `SellerSku`,
 *   `Quantity` (the line's whole quantity: no partial cancel or refund) and `Reason`, beside the order's `OrderID`; the
 *   reason lists are KOGAN_CANCEL_REASONS and KOGAN_REFUND_REASONS (src/domain/kogan.ts), as documented there.
 * Every request carries the `SellerToken` and `SellerID` headers. Answers are Kogan's envelope
 * `{ status, error, pending_url, body }`. Outcomes, as the outbox needs them: 400 / 404 / 409 / 422 or a `Failed`
 * status → KoganRejected (a person looks); 429, or 503 with Retry-After → KoganThrottled; other 5xx, a network
 * error, no answer in time or an answer that is not JSON → a plain Error, tried again later.
 */
import { parseDecimal } from '../../kernel/money.js';
import {
  KoganRejected,
  KoganThrottled,
  type KoganCancel,
  type KoganDispatch,
  type KoganOrder,
  type KoganPort,
  type KoganRefund,
} from '../../domain/kogan.js';

export const KOGAN_API_PATH = '/api/marketplace/v2';

export interface KoganClientOptions {
  /** The API's origin, e.g. https://nimda.kogan.com (no path). */
  baseUrl: string;
  sellerId: string;
  sellerToken: string;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** An address as Kogan writes it (BuyerAddress, ShippingAddress). */
interface KoganAddress {
  EmailAddress?: string | null;
  FirstName?: string | null;
  LastName?: string | null;
  AddressLine1?: string | null;
  AddressLine2?: string | null;
  City?: string | null;
  StateOrProvince?: string | null;
  PostalCode?: string | null;
  Country?: string | null;
  DaytimePhone?: string | null;
}
/** An order as Kogan writes it; money as decimals in the order's currency. */
export interface KoganOrderJson {
  ID: string;
  OrderStatus: string;
  OrderDateUtc: string;
  Currency: string;
  TotalPrice: number | string;
  TotalShippingPrice?: number | string | null;
  BuyerAddress?: KoganAddress | null;
  ShippingAddress?: KoganAddress | null;
  Items: { ID: string; SellerSku: string; Quantity: number; UnitPrice?: number | string | null }[];
}

const money = (v: number | string | null | undefined, currency: string) =>
  v === null || v === undefined ? 0 : parseDecimal(typeof v === 'number' ? v.toFixed(2) : v, currency);
const text = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

/** Kogan's order as sopdesk's port gives it (pure). */
export function toKoganOrder(o: KoganOrderJson): KoganOrder {
  const cur = o.Currency.toUpperCase();
  const buyer = o.BuyerAddress ?? {};
  const ship = o.ShippingAddress;
  const name = (a: KoganAddress) => [text(a.FirstName), text(a.LastName)].filter(Boolean).join(' ');
  return {
    ref: o.ID,
    status: o.OrderStatus,
    placedAt: new Date(o.OrderDateUtc).toISOString(),
    currency: cur,
    total: money(o.TotalPrice, cur),
    shipping: money(o.TotalShippingPrice, cur),
    buyer: {
      email: text(buyer.EmailAddress)?.toLowerCase() ?? null,
      firstName: text(buyer.FirstName) ?? '',
      lastName: text(buyer.LastName) ?? '',
      phone: text(buyer.DaytimePhone),
    },
    shippingAddress:
      ship && text(ship.AddressLine1) && text(ship.City) && text(ship.PostalCode) && text(ship.Country)
        ? {
            name: name(ship),
            line1: text(ship.AddressLine1)!,
            line2: text(ship.AddressLine2),
            city: text(ship.City)!,
            region: text(ship.StateOrProvince),
            zip: text(ship.PostalCode)!,
            country: text(ship.Country)!.toUpperCase(),
          }
        : null,
    items: o.Items.map((i) => ({
      id: i.ID,
      sku: i.SellerSku,
      quantity: i.Quantity,
      unitPrice: money(i.UnitPrice, cur),
    })),
  };
}

interface Envelope<T> {
  status?: string;
  error?: unknown;
  pending_url?: string | null;
  body?: T;
}

export function koganClient(opts: KoganClientOptions): KoganPort {
  const doFetch = opts.fetch ?? fetch;
  const origin = opts.baseUrl.replace(/\/+$/, '');
  const call = async <T>(method: 'GET' | 'POST', pathOrUrl: string, body?: unknown): Promise<T | undefined> => {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${origin}${KOGAN_API_PATH}${pathOrUrl}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: {
          SellerToken: opts.sellerToken,
          SellerID: opts.sellerId,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new Error(`Kogan did not answer ${method} ${pathOrUrl}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const raw = await res.text();
    let env: Envelope<T> | undefined;
    try {
      env = raw ? (JSON.parse(raw) as Envelope<T>) : undefined;
    } catch {
      env = undefined;
    }
    const why = env?.error
      ? typeof env.error === 'string'
        ? env.error
        : JSON.stringify(env.error)
      : raw.slice(0, 300);
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 429 || (res.status === 503 && retryAfter > 0))
      throw new KoganThrottled(`Kogan asked to wait (${res.status})`, (retryAfter > 0 ? retryAfter : 2) * 1000);
    if (method === 'GET' && res.status === 404) return undefined;
    if ([400, 401, 403, 404, 409, 422].includes(res.status))
      throw new KoganRejected(`Kogan refused ${method} ${pathOrUrl} (${res.status}): ${why}`);
    if (!res.ok) throw new Error(`Kogan answered ${res.status} to ${method} ${pathOrUrl}: ${why}`);
    if (!env) throw new Error(`Kogan's answer to ${method} ${pathOrUrl} is not JSON`);
    if (env.status === 'Failed') throw new KoganRejected(`Kogan refused ${method} ${pathOrUrl}: ${why}`);
    return env.body;
  };
  const lines = (
    ref: string,
    items: { orderItemId: string; sellerSku: string; quantity: number }[],
    reason: string,
  ) => ({
    OrderID: ref,
    Items: items.map((i) => ({ ID: i.orderItemId, SellerSku: i.sellerSku, Quantity: i.quantity, Reason: reason })),
  });
  return {
    async listOrders({ cursor, limit }) {
      const page = await call<KoganOrderJson[] | { results?: KoganOrderJson[]; next?: string | null }>(
        'GET',
        cursor ?? `/orders/?status=ReleasedForShipment${limit ? `&limit=${limit}` : ''}`,
      );
      if (Array.isArray(page)) return { orders: page.map(toKoganOrder), next: null };
      return { orders: (page?.results ?? []).map(toKoganOrder), next: page?.next ?? null };
    },
    async getOrder(ref) {
      const o = await call<KoganOrderJson>('GET', `/orders/${encodeURIComponent(ref)}/`);
      return o ? toKoganOrder(o) : undefined;
    },
    async fulfill(d: KoganDispatch) {
      await call('POST', '/orders/fulfill/', [
        {
          ID: d.koganOrderRef,
          Items: d.items.map((i) => ({
            OrderItemID: i.orderItemId,
            SellerSku: i.sellerSku,
            Quantity: i.quantity,
            ShippedDateUtc: i.shippedDateUtc,
            ShippingCarrier: i.carrier,
            TrackingNumber: i.trackingNumber,
          })),
        },
      ]);
    },
    async cancel(c: KoganCancel) {
      await call(
        'POST',
        `/orders/${encodeURIComponent(c.koganOrderRef)}/cancel/`,
        lines(c.koganOrderRef, c.items, c.reason),
      );
    },
    async refund(r: KoganRefund) {
      await call(
        'POST',
        `/orders/${encodeURIComponent(r.koganOrderRef)}/refund/`,
        lines(r.koganOrderRef, r.items, r.reason),
      );
    },
  };
}

/**
 * The Kogan port over the Kogan Marketplace API v2, at `{SOPDESK_KOGAN_URL}/api/marketplace/v2` (production
 * https://nimda.kogan.com, Kogan's test environment https://nimda-marketplace.aws.kgn.io):
 *   GET  /orders/?status=ReleasedForShipment  every open order, in one answer
 *   GET  /orders/{ref}/                        one order
 *   POST /orders/fulfill/                      `[{ ID, Items: [{ OrderItemID, SellerSku, Quantity, ShippedDateUtc,
 *                                              ShippingCarrier, TrackingNumber }] }]`
 *   POST /orders/{ref}/cancel/                 `{ OrderID, Items: [{ ID, SellerSku, Quantity, Reason }] }`: unshipped
 *                                              lines, whole, with a reason from Kogan's cancel list
 *   POST /orders/{ref}/refund/                 the same shape for whole shipped lines, with a refund reason
 * What Kogan documents (developers.kogan.com: "API: Get Orders", "API: Fulfill Order", "API: Cancel Order", "API:
 * Refund Order", "API: Asynchronous task results"):
 * - every request carries the `SellerToken` and `SellerID` headers; every answer is the envelope
 *   `{ status, pending_url, error, body }`, `status` AsyncResponsePending while a task runs, with its `pending_url`;
 * - Get Orders takes `status` (required; only ReleasedForShipment), `limit` ("default is no limit"), `startDateUTC`
 *   and `endDateUTC`, and has no page, offset or cursor: the poll asks once, with no limit;
 * - a dispatch names the order by `ID` and each line by `OrderItemID`, with `SellerSku`, `Quantity` (> 0), an ISO 8601
 *   UTC `ShippedDateUtc`, one `TrackingNumber` and a `ShippingCarrier` from Kogan's carrier codes (koganCarrierCode);
 * - a cancel or refund names the order's `OrderID` and each line by `ID` (the line's id, as `OrderItemID` in a
 *   dispatch; the field table calls it "Order Id", the example gives line ids), with `SellerSku`, `Quantity` (the
 *   line's whole quantity: no partial cancel or refund) and `Reason`, from KOGAN_CANCEL_REASONS / KOGAN_REFUND_REASONS;
 * - HTTP 429 is the rate limit, 502/503/504 "temporarily unavailable, please try again".
 * Not shown on those pages, and taken from how public Kogan integrations (Python, Rust, JavaScript) read the answers —
 * to confirm against a live seller account:
 * - the body of Get Orders is the list of orders, and Get Order's body is one order; an order's money (TotalPrice,
 *   TotalShippingPrice, TotalOrderDiscount, TotalShippingDiscount, a line's UnitPrice) is a JSON number in the order's
 *   `Currency` (a decimal string is read too; a discount is read by its size, whatever its sign);
 * - the other envelope statuses are Complete, CompleteWithErrors and Failed; a dispatch answers per order
 *   `{ ID, Result, Errors: [{ ID, ErrorCode, Message }] }`.
 * Outcomes, as the outbox needs them: 400 / 401 / 403 / 404 / 409 / 422, a `Failed` or `CompleteWithErrors` status,
 * a dispatch result with errors, or an answer still pending → KoganRejected (a person looks: asking again could
 * dispatch or refund twice); 429, or 503 with Retry-After → KoganThrottled; other 5xx, a network error, no answer in
 * time, an answer that is not JSON or an order list that is not a list → a plain Error, tried again later.
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
/** An order as Kogan writes it (the fields sopdesk reads); money as decimal numbers in the order's currency. */
export interface KoganOrderJson {
  /**
   * Kogan's order id, the `kogan_order_ref` of the order's URLs. Kogan's examples show "123456"; that it is the `ESG-…`
   * number the seller portal and the Kogan procedure show is not documented (Kogan also sends an `OrderLabel`).
   */
  ID: string;
  /** ReleasedForShipment (open), PartiallyShipped, Shipped, Canceled or PartiallyCanceled (Get Orders' statuses). */
  OrderStatus: string;
  OrderDateUtc: string;
  Currency: string;
  TotalPrice: number | string;
  TotalShippingPrice?: number | string | null;
  /** The order's discounts (how they relate to TotalPrice is not documented: koganOrderAmounts). */
  TotalOrderDiscount?: number | string | null;
  TotalShippingDiscount?: number | string | null;
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
    orderDiscount: Math.abs(money(o.TotalOrderDiscount, cur)),
    shippingDiscount: Math.abs(money(o.TotalShippingDiscount, cur)),
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

/** A dispatch's answer, per order (as public Kogan integrations read it; Kogan's guide pages do not show it). */
interface KoganFulfillResult {
  ID?: string;
  Result?: string;
  Errors?: { ID?: string; ErrorCode?: string; Message?: string }[] | null;
}

/** What a dispatch's answer says went wrong, order by order; empty when every order went through. */
function fulfillErrors(body: unknown): string[] {
  if (!Array.isArray(body)) return [];
  return (body as KoganFulfillResult[]).flatMap((r) => {
    const errors = r?.Errors ?? [];
    if (errors.length === 0 && !/^fail/i.test(r?.Result ?? '')) return [];
    const why = errors.map((e) => [e.ID, e.ErrorCode, e.Message].filter(Boolean).join(' ')).join('; ');
    return [`order ${r?.ID ?? '?'}: ${why || r?.Result}`];
  });
}

export function koganClient(opts: KoganClientOptions): KoganPort {
  const doFetch = opts.fetch ?? fetch;
  const origin = opts.baseUrl.replace(/\/+$/, '');
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T | undefined> => {
    const url = `${origin}${KOGAN_API_PATH}${path}`;
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
      throw new Error(`Kogan did not answer ${method} ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const raw = await res.text();
    let env: Envelope<T> | undefined;
    try {
      env = raw ? (JSON.parse(raw) as Envelope<T>) : undefined;
    } catch {
      env = undefined;
    }
    const error = env?.error ? (typeof env.error === 'string' ? env.error : JSON.stringify(env.error)) : '';
    const why = [error, ...fulfillErrors(env?.body)].filter(Boolean).join('; ') || raw.slice(0, 300);
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 429 || (res.status === 503 && retryAfter > 0))
      throw new KoganThrottled(`Kogan asked to wait (${res.status})`, (retryAfter > 0 ? retryAfter : 2) * 1000);
    if (method === 'GET' && res.status === 404) return undefined;
    if ([400, 401, 403, 404, 409, 422].includes(res.status))
      throw new KoganRejected(`Kogan refused ${method} ${path} (${res.status}): ${why}`);
    if (!res.ok) throw new Error(`Kogan answered ${res.status} to ${method} ${path}: ${why}`);
    if (!env) throw new Error(`Kogan's answer to ${method} ${path} is not JSON`);
    if (env.status === 'Failed' || env.status === 'CompleteWithErrors')
      throw new KoganRejected(`Kogan refused ${method} ${path} (${env.status}): ${why}`);
    if (env.status === 'AsyncResponsePending')
      throw new KoganRejected(`Kogan has not finished ${method} ${path}; its result is at ${env.pending_url ?? '?'}`);
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
    async listOrders() {
      const body = await call<KoganOrderJson[]>('GET', '/orders/?status=ReleasedForShipment');
      if (!Array.isArray(body)) throw new Error("Kogan's answer to GET /orders/ has no list of orders in its body");
      return body.map(toKoganOrder);
    },
    async getOrder(ref) {
      const o = await call<KoganOrderJson>('GET', `/orders/${encodeURIComponent(ref)}/`);
      return o ? toKoganOrder(o) : undefined;
    },
    async fulfill(d: KoganDispatch) {
      const body = await call('POST', '/orders/fulfill/', [
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
      const errors = fulfillErrors(body);
      if (errors.length) throw new KoganRejected(`Kogan refused the dispatch: ${errors.join('; ')}`);
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

/**
 * A fake Kogan Marketplace API v2 on a free port (real HTTP), under `/api/marketplace/v2`, answering Kogan's envelope
 * `{ status, error, pending_url, body }` and checking the `SellerToken` / `SellerID` headers (401 without them), as
 * Kogan documents it (developers.kogan.com: API: Get Orders, Fulfill Order, Cancel Order, Refund Order; the shapes its
 * guide pages leave out — Get Orders' body, money as JSON numbers, a dispatch's per-order result — as public Kogan
 * integrations read them, see src/connectors/kogan/client.ts):
 *   GET  /orders/?status=ReleasedForShipment[&limit=N]  every open order (status required; limit: the first N), as
 *                                                     the list in `body`; no paging
 *   GET  /orders/{ref}/                               one order in `body` (404 unknown)
 *   POST /orders/fulfill/                             dispatches: per line OrderItemID, SellerSku, Quantity (> 0),
 *                                                     ShippedDateUtc (ISO 8601 UTC), ShippingCarrier (one of Kogan's
 *                                                     carrier codes), TrackingNumber; answers per order
 *                                                     `{ ID, Result, Errors }`, status Failed when no order went through
 *   POST /orders/{ref}/cancel/                        `{ OrderID, Items: [{ ID, SellerSku, Quantity, Reason }] }`: only
 *                                                     orders still ReleasedForShipment, each line whole, a reason from
 *                                                     Kogan's cancel list
 *   POST /orders/{ref}/refund/                        the same shape: only shipped lines, each whole (no partial
 *                                                     quantity), a reason from Kogan's refund list
 * Other refusals are 400 with `status: Failed` and an error. It can be told to answer 429 (Retry-After) or 500 for the
 * next requests. An order can carry `TotalOrderDiscount` and `TotalShippingDiscount`, its `TotalPrice` written after
 * them (what the buyer paid, as sopdesk reads it) or, told so, before them (Kogan documents neither).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KOGAN_CANCEL_REASONS, KOGAN_CARRIER_CODES, KOGAN_REFUND_REASONS } from '../../src/domain/kogan.js';

export interface FakeKoganLine {
  ID: string;
  SellerSku: string;
  Quantity: number;
  UnitPrice: number;
  shipped: number;
  refunded: number;
  canceled: number;
}
export interface FakeKoganOrder {
  ID: string;
  OrderStatus: 'ReleasedForShipment' | 'PartiallyShipped' | 'Shipped' | 'Canceled' | 'PartiallyCanceled';
  OrderDateUtc: string;
  Currency: string;
  TotalShippingPrice: number;
  TotalOrderDiscount: number;
  TotalShippingDiscount: number;
  /** TotalPrice is the lines plus shipping, the discounts not taken off (else it is what the buyer paid). */
  totalBeforeDiscounts: boolean;
  BuyerAddress: Record<string, string>;
  ShippingAddress: Record<string, string>;
  lines: FakeKoganLine[];
}
export interface SeenKoganCall {
  method: string;
  path: string;
  /** The query string, `?…` or empty. */
  query: string;
  body: unknown;
}

const BASE = '/api/marketplace/v2';

export class FakeKogan {
  readonly sellerId = 'seller-42';
  readonly sellerToken = 'kogan-token';
  readonly orders = new Map<string, FakeKoganOrder>();
  readonly calls: SeenKoganCall[] = [];
  #server?: Server;
  #troubles: ('429' | '500')[] = [];
  #n = 0;

  get url(): string {
    const { port } = this.#server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.#server?.close(() => r()));
  }

  /** The next requests answer these troubles, one each. */
  trouble(...t: ('429' | '500')[]): void {
    this.#troubles.push(...t);
  }

  /** An open order (ReleasedForShipment) with these lines; gives its reference. */
  addOrder(o: {
    ref?: string;
    email: string;
    firstName?: string;
    lastName?: string;
    lines: { sku: string; quantity: number; unitPrice: number }[];
    shipping?: number;
    /** TotalOrderDiscount and TotalShippingDiscount, in the order's currency. */
    orderDiscount?: number;
    shippingDiscount?: number;
    totalBeforeDiscounts?: boolean;
    placedAt?: string;
    currency?: string;
  }): FakeKoganOrder {
    const n = ++this.#n;
    const ref = o.ref ?? `ESG-${70000000 + n}`;
    const order: FakeKoganOrder = {
      ID: ref,
      OrderStatus: 'ReleasedForShipment',
      OrderDateUtc: o.placedAt ?? '2026-11-18T01:02:03Z',
      Currency: o.currency ?? 'AUD',
      TotalShippingPrice: o.shipping ?? 0,
      TotalOrderDiscount: o.orderDiscount ?? 0,
      TotalShippingDiscount: o.shippingDiscount ?? 0,
      totalBeforeDiscounts: o.totalBeforeDiscounts ?? false,
      BuyerAddress: { EmailAddress: o.email, FirstName: o.firstName ?? 'Ava', LastName: o.lastName ?? `Buyer${n}` },
      ShippingAddress: {
        FirstName: o.firstName ?? 'Ava',
        LastName: o.lastName ?? `Buyer${n}`,
        AddressLine1: `${n} Wattle St`,
        City: 'Ultimo',
        StateOrProvince: 'NSW',
        PostalCode: '2007',
        Country: 'AU',
      },
      lines: o.lines.map((l, i) => ({
        ID: `${ref}-${i + 1}`,
        SellerSku: l.sku,
        Quantity: l.quantity,
        UnitPrice: l.unitPrice,
        shipped: 0,
        refunded: 0,
        canceled: 0,
      })),
    };
    this.orders.set(ref, order);
    return order;
  }

  /** The order as Kogan writes it: money as JSON numbers (two decimals) in the order's currency, GST inside the prices. */
  #json(o: FakeKoganOrder) {
    const cents = (v: number) => Math.round(v * 100) / 100;
    const price = o.lines.reduce((s, l) => s + l.UnitPrice * l.Quantity, 0) + o.TotalShippingPrice;
    const paid = cents(price - o.TotalOrderDiscount - o.TotalShippingDiscount);
    const total = o.totalBeforeDiscounts ? cents(price) : paid;
    return {
      ID: o.ID,
      OrderStatus: o.OrderStatus,
      OrderDateUtc: o.OrderDateUtc,
      DeliverByDateUtc: new Date(Date.parse(o.OrderDateUtc) + 7 * 86_400_000).toISOString(),
      RequestedShippingMethod: 'Standard',
      Currency: o.Currency,
      VatInclusive: true,
      TotalPrice: total,
      TotalShippingPrice: cents(o.TotalShippingPrice),
      TotalTaxPrice: cents(paid / 11),
      TotalOrderDiscount: cents(o.TotalOrderDiscount),
      TotalShippingDiscount: cents(o.TotalShippingDiscount),
      BuyerAddress: o.BuyerAddress,
      ShippingAddress: o.ShippingAddress,
      Items: o.lines.map((l) => ({
        ID: l.ID,
        SellerSku: l.SellerSku,
        ProductTitle: l.SellerSku,
        Quantity: l.Quantity,
        UnitPrice: cents(l.UnitPrice),
      })),
    };
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const ok = (b: unknown) => ({ status: 200, body: { status: 'Complete', error: null, pending_url: null, body: b } });
    const refuse = (error: string, status = 400) => ({
      status,
      body: { status: 'Failed', error, pending_url: null, body: null },
    });
    if (req.headers.sellertoken !== this.sellerToken || req.headers.sellerid !== this.sellerId)
      return refuse('SellerToken and SellerID are required', 401);
    const path = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
    this.calls.push({ method: req.method ?? 'GET', path, query: url.search, body });
    const t = this.#troubles.shift();
    if (t === '429')
      return { status: 429, body: { detail: 'Request was throttled.' }, headers: { 'Retry-After': '3' } };
    if (t === '500') return { status: 500, body: { detail: 'Server error' } };

    if (req.method === 'GET' && path === '/orders/') {
      if (url.searchParams.get('status') !== 'ReleasedForShipment')
        return refuse('status is required; only ReleasedForShipment is accepted');
      const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : Number.POSITIVE_INFINITY;
      const open = [...this.orders.values()].filter((o) => o.OrderStatus === 'ReleasedForShipment').slice(0, limit);
      return ok(open.map((o) => this.#json(o)));
    }
    const one = /^\/orders\/([^/]+)\/(cancel\/|refund\/)?$/.exec(path);
    if (req.method === 'GET' && one && !one[2]) {
      const o = this.orders.get(decodeURIComponent(one[1]!));
      return o ? ok(this.#json(o)) : refuse('Order not found', 404);
    }
    if (req.method !== 'POST') return refuse('Method not allowed', 405);
    if (path === '/orders/fulfill/') {
      if (!Array.isArray(body)) return refuse('A list of orders is expected');
      const results = (body as { ID: string; Items: Record<string, unknown>[] }[]).map((d) => {
        const o = this.orders.get(d.ID);
        const errors: { ID: string; ErrorCode: string; Message: string }[] = [];
        const fail = (it: Record<string, unknown>, code: string, message: string) =>
          errors.push({ ID: String(it.OrderItemID), ErrorCode: code, Message: message });
        const shippable: [FakeKoganLine, number][] = [];
        for (const it of o ? d.Items : []) {
          const l = o!.lines.find((x) => x.ID === it.OrderItemID && x.SellerSku === it.SellerSku);
          const q = Number(it.Quantity);
          if (!l) fail(it, 'InvalidItem', `OrderItemID ${String(it.OrderItemID)} is not a line of ${d.ID}`);
          else if (!KOGAN_CARRIER_CODES.includes(String(it.ShippingCarrier)))
            fail(it, 'InvalidCarrier', `Invalid carrier code ${String(it.ShippingCarrier)}`);
          else if (typeof it.TrackingNumber !== 'string' || !it.TrackingNumber)
            fail(it, 'MissingTracking', 'TrackingNumber is required');
          else if (
            typeof it.ShippedDateUtc !== 'string' ||
            !/Z$/.test(it.ShippedDateUtc) ||
            !Date.parse(it.ShippedDateUtc)
          )
            fail(it, 'InvalidDate', 'ShippedDateUtc must be an ISO 8601 UTC date/time');
          else if (!(q > 0) || l.shipped + q > l.Quantity)
            fail(it, 'InvalidQuantity', `Quantity ${q} is more than is left to ship`);
          else shippable.push([l, q]);
        }
        if (!o)
          return {
            ID: d.ID,
            Result: 'Fail',
            Errors: [{ ID: d.ID, ErrorCode: 'NotFound', Message: 'Order not found' }],
          };
        if (errors.length) return { ID: d.ID, Result: 'Fail', Errors: errors };
        for (const [l, q] of shippable) l.shipped += q;
        o.OrderStatus = o.lines.every((l) => l.shipped === l.Quantity) ? 'Shipped' : 'PartiallyShipped';
        return { ID: d.ID, Result: 'Success', Errors: [] };
      });
      const failed = results.filter((r) => r.Result === 'Fail').length;
      const status = failed === 0 ? 'Complete' : failed === results.length ? 'Failed' : 'CompleteWithErrors';
      return { status: 200, body: { status, error: null, pending_url: null, body: results } };
    }
    if (!one?.[2]) return refuse('Not found', 404);
    const o = this.orders.get(decodeURIComponent(one[1]!));
    if (!o) return refuse('Order not found', 404);
    const sent = body as { OrderID?: unknown; Items?: Record<string, unknown>[] } | undefined;
    if (sent?.OrderID !== o.ID) return refuse(`OrderID ${String(sent?.OrderID)} is not ${o.ID}`);
    const items = sent.Items;
    if (!Array.isArray(items) || items.length === 0) return refuse('Items are required');
    const lineOf = (it: Record<string, unknown>) => o.lines.find((x) => x.ID === it.ID && x.SellerSku === it.SellerSku);
    if (one[2] === 'cancel/') {
      if (o.OrderStatus !== 'ReleasedForShipment')
        return refuse(`Order ${o.ID} is ${o.OrderStatus}; only ReleasedForShipment orders can be canceled`);
      for (const it of items) {
        const l = lineOf(it);
        if (!l) return refuse(`Item ID ${String(it.ID)} is not a line of ${o.ID}`);
        if (!(KOGAN_CANCEL_REASONS as readonly string[]).includes(String(it.Reason)))
          return refuse(`Reason ${String(it.Reason)} is not a cancel reason`);
        if (Number(it.Quantity) !== l.Quantity) return refuse(`Line ${l.ID} is canceled whole only (${l.Quantity})`);
        l.canceled = Number(it.Quantity);
      }
      o.OrderStatus = o.lines.every((l) => l.canceled === l.Quantity) ? 'Canceled' : 'PartiallyCanceled';
      return ok(null);
    }
    for (const it of items) {
      const l = lineOf(it);
      if (!l) return refuse(`Item ID ${String(it.ID)} is not a line of ${o.ID}`);
      if (!(KOGAN_REFUND_REASONS as readonly string[]).includes(String(it.Reason)))
        return refuse(`Reason ${String(it.Reason)} is not a refund reason`);
      if (l.shipped === 0) return refuse(`Line ${l.ID} has not shipped; cancel it instead`);
      if (l.refunded > 0 || Number(it.Quantity) !== l.Quantity)
        return refuse(`Line ${l.ID} is refunded whole only (${l.Quantity})`);
    }
    for (const it of items) lineOf(it)!.refunded = Number(it.Quantity);
    return ok(null);
  }
}

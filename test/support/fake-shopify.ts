/**
 * A fake Shopify shop that behaves as Shopify's webhooks are documented: it keeps its orders, changes them as the
 * merchant would (pay, fulfill, ship, refund, cancel), and after each change delivers the topics Shopify sends,
 * the body being the REST Admin resource as JSON (money as decimal strings, many fields sopdesk does not read),
 * signed as Shopify signs: base64(HMAC-SHA256(raw body bytes, secret)) in X-Shopify-Hmac-Sha256, with
 * X-Shopify-Topic, X-Shopify-Shop-Domain, X-Shopify-Webhook-Id, X-Shopify-Triggered-At and X-Shopify-API-Version.
 * The signature is computed here with node:crypto, not with sopdesk's own code, so a mistake there shows.
 */
import { createHmac, randomUUID } from 'node:crypto';

export const SHOP_DOMAIN = 'sopdesk-test.myshopify.com';

/** Something that answers HTTP requests in-process: the Hono app. */
export interface Receiver {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

/** One webhook as it went over the wire, kept so a test can deliver exactly these bytes again. */
export interface Delivery {
  topic: string;
  raw: string;
  headers: Record<string, string>;
}

export interface Answer {
  status: number;
  body: any;
}

type Json = Record<string, any>;

/** The fake's shop has two decimals; its sums stay in integer cents like Shopify's own. */
const cents = (s: string) => {
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};
const decimal = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

export interface LineSpec {
  sku: string | null;
  title: string;
  variantTitle?: string | null;
  quantity: number;
  price: string;
  discount?: string;
  productId?: number;
}

export interface OrderSpec {
  lines: LineSpec[];
  currency?: string;
  shipping?: string;
  tax?: string;
  discounts?: string;
  financialStatus?: 'pending' | 'authorized' | 'paid';
  customer?: { email: string; firstName: string; lastName: string; phone?: string | null } | null;
  email?: string;
  /** The shop's next order number otherwise (from #1001). */
  number?: number;
}

export class FakeShopify {
  readonly deliveries: Delivery[] = [];
  readonly orders = new Map<number, Json>();
  #nextId: number;
  #clock: number;
  #orderNumber = 1001;

  /** `firstId`: where the shop's ids start, so two shops replaying the same story have ids of their own. */
  constructor(
    private readonly receiver: Receiver,
    private readonly secret: string,
    start = '2026-11-10T09:00:00-05:00',
    firstId = 5_600_000_000_000,
  ) {
    this.#clock = Date.parse(start);
    this.#nextId = firstId;
  }

  #id(): number {
    return ++this.#nextId;
  }

  /** Shopify's times carry the shop's offset; every change moves the shop's clock a minute on. */
  #tick(): string {
    this.#clock += 60_000;
    return new Date(this.#clock - 5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-05:00');
  }

  /** Signs and posts `body` as Shopify would; `tamper` lets a test break what Shopify never would. */
  #holding = false;
  #held: Delivery[] = [];

  /** From now on, webhooks are signed and kept, not sent (a slow network): `release` hands them to the test. */
  hold(): void {
    this.#holding = true;
  }

  release(): Delivery[] {
    this.#holding = false;
    return this.#held.splice(0);
  }

  async send(
    topic: string,
    body: Json,
    tamper: { secret?: string; signature?: string | null; raw?: string } = {},
  ): Promise<Answer> {
    const raw = tamper.raw ?? JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP_DOMAIN,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-triggered-at': new Date(this.#clock).toISOString(),
      'x-shopify-api-version': '2025-10',
      'x-shopify-event-id': randomUUID(),
    };
    const signature =
      tamper.signature !== undefined
        ? tamper.signature
        : createHmac('sha256', tamper.secret ?? this.secret)
            .update(raw, 'utf8')
            .digest('base64');
    if (signature !== null) headers['x-shopify-hmac-sha256'] = signature;
    const delivery = { topic, raw, headers };
    this.deliveries.push(delivery);
    if (this.#holding) {
      this.#held.push(delivery);
      return { status: 0, body: null };
    }
    return this.deliver(delivery);
  }

  /** Delivers a webhook again, byte for byte with the same headers (Shopify's retry of one delivery). */
  async deliver(d: Delivery): Promise<Answer> {
    const res = await this.receiver.request('/v1/connectors/shopify/webhooks', {
      method: 'POST',
      headers: d.headers,
      body: d.raw,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /**
   * Shopify sends each topic of a change as its own webhook: one after another in the order listed, or — as Shopify
   * may, over several connections — all at once (`together`).
   */
  async #orderTopics(o: Json, topics: string[], together = false): Promise<Answer[]> {
    const all = [...topics, 'orders/updated'];
    if (together) return Promise.all(all.map((t) => this.send(t, structuredClone(o))));
    const answers: Answer[] = [];
    for (const t of all) answers.push(await this.send(t, structuredClone(o)));
    return answers;
  }

  /** A checkout: the order, its customer, and what Shopify computes (totals, names); delivers orders/create (and orders/paid). */
  async placeOrder(
    spec: OrderSpec,
    delivery: { together?: boolean } = {},
  ): Promise<{ order: Json; answers: Answer[] }> {
    const at = this.#tick();
    const currency = spec.currency ?? 'USD';
    const customer =
      spec.customer === null
        ? null
        : (spec.customer ?? {
            email: 'ana.lima@example.com',
            firstName: 'Ana',
            lastName: 'Lima',
            phone: '+1 415 555 0199',
          });
    const address = {
      first_name: customer?.firstName ?? 'Guest',
      last_name: customer?.lastName ?? 'Buyer',
      address1: '48 Harbor View Rd',
      address2: null,
      city: 'San Francisco',
      province: 'California',
      province_code: 'CA',
      zip: '94107',
      country: 'United States',
      country_code: 'US',
      company: null,
      phone: null,
      latitude: 37.76,
      longitude: -122.39,
      name: `${customer?.firstName ?? 'Guest'} ${customer?.lastName ?? 'Buyer'}`,
    };
    const id = this.#id();
    const number = spec.number ?? this.#orderNumber++;
    const lineItems = spec.lines.map((l) => {
      const productId = l.productId ?? this.#id();
      return {
        id: this.#id(),
        admin_graphql_api_id: 'gid://shopify/LineItem/x',
        fulfillable_quantity: l.quantity,
        fulfillment_service: 'manual',
        fulfillment_status: null,
        gift_card: false,
        grams: 500,
        name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
        price: l.price,
        price_set: {
          shop_money: { amount: l.price, currency_code: currency },
          presentment_money: { amount: l.price, currency_code: currency },
        },
        product_exists: true,
        product_id: productId,
        properties: [],
        quantity: l.quantity,
        requires_shipping: true,
        sku: l.sku,
        taxable: true,
        title: l.title,
        total_discount: l.discount ?? '0.00',
        variant_id: this.#id(),
        variant_inventory_management: 'shopify',
        variant_title: l.variantTitle ?? null,
        vendor: 'Acme',
        tax_lines: [],
        duties: [],
        discount_allocations: [],
      };
    });
    const order: Json = {
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      app_id: 580111,
      browser_ip: '203.0.113.9',
      buyer_accepts_marketing: false,
      cancel_reason: null,
      cancelled_at: null,
      cart_token: null,
      checkout_id: this.#id(),
      confirmed: true,
      contact_email: customer?.email ?? spec.email,
      created_at: at,
      updated_at: at,
      currency,
      presentment_currency: currency,
      current_total_discounts: spec.discounts ?? '0.00',
      email: customer?.email ?? spec.email ?? '',
      financial_status: spec.financialStatus ?? 'paid',
      fulfillment_status: null,
      gateway: 'shopify_payments',
      landing_site: '/',
      name: `#${number}`,
      note: null,
      note_attributes: [],
      number: number - 1000,
      order_number: number,
      order_status_url: 'https://example.test/status',
      payment_gateway_names: ['shopify_payments'],
      phone: null,
      processed_at: at,
      source_name: 'web',
      tags: '',
      taxes_included: false,
      test: false,
      token: 'b1946ac92492d2347c6235b4d2611184',
      total_discounts: spec.discounts ?? '0.00',
      total_tax: spec.tax ?? '0.00',
      total_price: '0.00',
      user_id: null,
      customer: customer && {
        id: this.#id(),
        email: customer.email,
        accepts_marketing: false,
        created_at: at,
        updated_at: at,
        first_name: customer.firstName,
        last_name: customer.lastName,
        state: 'disabled',
        note: null,
        verified_email: true,
        phone: customer.phone ?? null,
        tags: '',
        currency,
        default_address: { id: this.#id(), customer_id: 0, ...address, default: true },
      },
      billing_address: address,
      shipping_address: address,
      line_items: lineItems,
      shipping_lines: [
        {
          id: this.#id(),
          code: 'Standard',
          price: spec.shipping ?? '0.00',
          discounted_price: spec.shipping ?? '0.00',
          source: 'shopify',
          title: 'Standard',
          tax_lines: [],
        },
      ],
      fulfillments: [],
      refunds: [],
      discount_codes: [],
      tax_lines: [],
    };
    // What Shopify computes: lines less their discounts, less the rest of the discounts, plus shipping and tax (two-decimal shop).
    const lineCents = lineItems.map((li) => cents(li.price) * li.quantity - cents(li.total_discount));
    const total =
      lineCents.reduce((a, b) => a + b, 0) -
      (cents(order.total_discounts) - lineItems.reduce((n, li) => n + cents(li.total_discount), 0)) +
      cents(spec.shipping ?? '0.00') +
      cents(order.total_tax);
    Object.assign(order, {
      total_price: decimal(total),
      subtotal_price: decimal(lineCents.reduce((a, b) => a + b, 0)),
      total_line_items_price: decimal(lineItems.reduce((n, li) => n + cents(li.price) * li.quantity, 0)),
    });
    this.orders.set(id, order);
    const answers = await this.#orderTopics(
      order,
      ['orders/create', ...(order.financial_status === 'paid' ? ['orders/paid'] : [])],
      delivery.together,
    );
    return { order, answers };
  }

  async pay(id: number): Promise<Answer[]> {
    const o = this.orders.get(id)!;
    Object.assign(o, { financial_status: 'paid', updated_at: this.#tick() });
    return this.#orderTopics(o, ['orders/paid']);
  }

  /** Fulfills some units (line index → quantity); delivers fulfillments/create and orders/(partially_)fulfilled. */
  async fulfill(
    id: number,
    items: [number, number][],
    tracking = { company: 'UPS', number: '1Z999AA10123456784' },
  ): Promise<{ fulfillment: Json; answers: Answer[] }> {
    const o = this.orders.get(id)!;
    const at = this.#tick();
    const fulfillment = {
      id: this.#id(),
      admin_graphql_api_id: 'gid://shopify/Fulfillment/x',
      order_id: id,
      name: `${o.name}.${o.fulfillments.length + 1}`,
      location_id: 905684977,
      created_at: at,
      updated_at: at,
      service: 'manual',
      status: 'success',
      shipment_status: 'confirmed',
      tracking_company: tracking.company,
      tracking_number: tracking.number,
      tracking_numbers: [tracking.number],
      tracking_url: `https://www.ups.com/track?tracknum=${tracking.number}`,
      tracking_urls: [`https://www.ups.com/track?tracknum=${tracking.number}`],
      receipt: {},
      origin_address: null,
      line_items: items.map(([i, quantity]) => ({ ...o.line_items[i], quantity })),
    };
    o.fulfillments.push(fulfillment);
    const shipped = (li: Json) =>
      o.fulfillments
        .filter((f: Json) => f.status === 'success')
        .flatMap((f: Json) => f.line_items)
        .filter((x: Json) => x.id === li.id)
        .reduce((n: number, x: Json) => n + x.quantity, 0);
    const all = o.line_items.every((li: Json) => shipped(li) >= li.quantity);
    Object.assign(o, { fulfillment_status: all ? 'fulfilled' : 'partial', updated_at: at });
    const answers = [
      await this.send('fulfillments/create', structuredClone(fulfillment)),
      ...(await this.#orderTopics(o, [all ? 'orders/fulfilled' : 'orders/partially_fulfilled'])),
    ];
    return { fulfillment, answers };
  }

  /** The carrier reports progress: delivers fulfillments/update and orders/updated. */
  async ship(id: number, fulfillmentId: number, shipmentStatus: string): Promise<Answer[]> {
    const o = this.orders.get(id)!;
    const f = o.fulfillments.find((x: Json) => x.id === fulfillmentId);
    const at = this.#tick();
    Object.assign(f, { shipment_status: shipmentStatus, updated_at: at });
    o.updated_at = at;
    return [await this.send('fulfillments/update', structuredClone(f)), ...(await this.#orderTopics(o, []))];
  }

  /** Refunds units (line index → quantity) and `amount` to the original payment, with an optional note: delivers refunds/create and orders/updated. */
  async refund(id: number, items: [number, number][], amount: string, note: string | null = null): Promise<Answer[]> {
    const o = this.orders.get(id)!;
    const at = this.#tick();
    const refundId = this.#id();
    const refund = {
      id: refundId,
      admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
      order_id: id,
      created_at: at,
      processed_at: at,
      note,
      restock: true,
      user_id: null,
      // As Shopify sends them: `subtotal` and `total_tax` are JSON numbers; only their `_set` twins are decimal strings.
      refund_line_items: items.map(([i, quantity]) => {
        const subtotal = decimal(cents(o.line_items[i].price) * quantity);
        return {
          id: this.#id(),
          line_item_id: o.line_items[i].id,
          quantity,
          restock_type: 'return',
          subtotal: Number(subtotal),
          total_tax: 0.0,
          subtotal_set: {
            shop_money: { amount: subtotal, currency_code: o.currency },
            presentment_money: { amount: subtotal, currency_code: o.currency },
          },
          total_tax_set: {
            shop_money: { amount: '0.00', currency_code: o.currency },
            presentment_money: { amount: '0.00', currency_code: o.currency },
          },
          line_item: o.line_items[i],
        };
      }),
      transactions: [
        {
          id: this.#id(),
          order_id: id,
          kind: 'refund',
          gateway: 'shopify_payments',
          status: 'success',
          amount,
          currency: o.currency,
          created_at: at,
          parent_id: null,
          test: false,
        },
      ],
      order_adjustments: [],
    };
    o.refunds.push(refund);
    Object.assign(o, { financial_status: 'partially_refunded', updated_at: at });
    return [await this.send('refunds/create', structuredClone(refund)), ...(await this.#orderTopics(o, []))];
  }

  /** The merchant cancels the order (Shopify refunds or voids on its own): delivers orders/cancelled and orders/updated. */
  async cancel(id: number, reason = 'customer'): Promise<Answer[]> {
    const o = this.orders.get(id)!;
    const at = this.#tick();
    Object.assign(o, {
      cancelled_at: at,
      cancel_reason: reason,
      financial_status: o.financial_status === 'authorized' ? 'voided' : o.financial_status,
      updated_at: at,
    });
    return this.#orderTopics(o, ['orders/cancelled']);
  }
}

/**
 * A fake Shopify Admin GraphQL API on a free port (real HTTP): `POST /admin/api/{version}/graphql.json` with the
 * `X-Shopify-Access-Token` header. It reads the document enough to tell the operation (`orderCancel`, `refundCreate`,
 * `orderUpdate`, the `order` query) and its `@idempotent` key, takes the arguments from the variables, keeps orders and refunds in
 * memory, and refuses what Shopify refuses with `userErrors` (an unknown order, a refund above what a payment still
 * holds, more units than a line has left, a second cancel). It can be told to answer 429 or THROTTLED, to be down,
 * or to hold its answer until released.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDecimal, toDecimal } from '../../src/kernel/money.js';

interface Transaction {
  id: string;
  kind: 'SALE' | 'REFUND';
  gateway: string;
  amount: number;
  parentId: string | null;
}
export interface FakeOrder {
  id: string;
  currency: string;
  /** Line item GID → units not refunded yet. */
  lines: Map<string, number>;
  transactions: Transaction[];
  /** The shipping address as the last `orderUpdate` set it (MailingAddressInput). */
  shippingAddress?: Record<string, unknown> | undefined;
  canceled?:
    | { reason: string; refund: boolean; restock: boolean; notifyCustomer: boolean; staffNote: string | null }
    | undefined;
}
export interface FakeRefund {
  id: string;
  orderId: string;
  key: string;
  note: string;
  lines: { lineItemId: string; quantity: number; restockType: string }[];
  shipping: string | null;
  transactions: { parentId: string; gateway: string; amount: string }[];
}
export interface SeenCall {
  operation: string;
  variables: Record<string, unknown>;
  idempotencyKey: string | null;
}

type Trouble = '429' | 'throttled' | 'down';
const CANCEL_REASONS = ['CUSTOMER', 'INVENTORY', 'FRAUD', 'DECLINED', 'STAFF', 'OTHER'];

export class FakeShopifyAdmin {
  readonly token = 'shpat_test';
  readonly orders = new Map<string, FakeOrder>();
  readonly refunds: FakeRefund[] = [];
  readonly calls: SeenCall[] = [];
  #server?: Server;
  #troubles: Trouble[] = [];
  #held: Promise<void> | undefined;
  #nextId = 9000;
  /** Resolves when a request arrives while answers are held. */
  arrived: Promise<void> = Promise.resolve();

  /** The origin to give the client as its shop (`http://127.0.0.1:<port>`). */
  get shop(): string {
    return `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  /** A paid order: line items (numeric ids) and one sale of `paid` minor units. */
  addOrder(o: { id: number; currency: string; lines: { id: number; quantity: number }[]; paid: number }): void {
    const id = `gid://shopify/Order/${o.id}`;
    this.orders.set(id, {
      id,
      currency: o.currency,
      lines: new Map(o.lines.map((l) => [`gid://shopify/LineItem/${l.id}`, l.quantity])),
      transactions: [
        {
          id: `gid://shopify/OrderTransaction/${o.id}1`,
          kind: 'SALE',
          gateway: 'shopify_payments',
          amount: o.paid,
          parentId: null,
        },
      ],
    });
  }

  /** The next requests get these answers instead of being handled, one each. */
  trouble(...t: Trouble[]): void {
    this.#troubles.push(...t);
  }

  /** Holds every answer until the returned function is called; `arrived` resolves when a request is waiting. */
  hold(): () => void {
    let release!: () => void;
    let arrived!: () => void;
    this.#held = new Promise<void>((r) => (release = r));
    this.arrived = new Promise<void>((r) => (arrived = r));
    this.#onArrive = arrived;
    return () => {
      this.#held = undefined;
      release();
    };
  }
  #onArrive: (() => void) | undefined;

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#answer(req).then(({ status, body, headers }) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body)),
      );
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
  }

  stop(): Promise<void> {
    return new Promise((r) => this.#server!.close(() => r()));
  }

  async #answer(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    if (req.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(req.url ?? ''))
      return { status: 404, body: { errors: 'Not Found' } };
    if (req.headers['x-shopify-access-token'] !== this.token)
      return {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      };
    const { query, variables = {} } = JSON.parse(text) as { query: string; variables?: Record<string, unknown> };
    const operation = /\{\s*(\w+)\s*\(/.exec(query)?.[1] ?? '';
    const keyVar = /@idempotent\(key:\s*\$(\w+)\)/.exec(query)?.[1];
    this.calls.push({ operation, variables, idempotencyKey: keyVar ? String(variables[keyVar]) : null });
    if (this.#held) {
      this.#onArrive?.();
      await this.#held;
    }
    const trouble = this.#troubles.shift();
    if (trouble === 'down') return { status: 503, body: { errors: 'Service Unavailable' } };
    if (trouble === '429')
      return {
        status: 429,
        body: { errors: 'Exceeded 2 calls per second for api client.' },
        headers: { 'retry-after': '2.0' },
      };
    if (trouble === 'throttled') {
      return {
        status: 200,
        body: {
          errors: [
            {
              message: 'Throttled',
              extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: 10,
              actualQueryCost: null,
              throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 },
            },
          },
        },
      };
    }
    if (operation === 'orderCancel') return { status: 200, body: { data: { orderCancel: this.#cancel(variables) } } };
    if (operation === 'refundCreate') {
      if (!keyVar)
        return {
          status: 200,
          body: { errors: [{ message: 'The @idempotent directive is required for this mutation.' }] },
        };
      return {
        status: 200,
        body: { data: { refundCreate: this.#refund(variables.input as RefundInput, String(variables[keyVar])) } },
      };
    }
    if (operation === 'orderUpdate')
      return {
        status: 200,
        body: {
          data: {
            orderUpdate: this.#update(variables.input as { id: string; shippingAddress?: Record<string, unknown> }),
          },
        },
      };
    if (operation === 'order') return { status: 200, body: { data: { order: this.#payments(String(variables.id)) } } };
    return { status: 200, body: { errors: [{ message: `Field '${operation}' doesn't exist on type 'Mutation'` }] } };
  }

  #cancel(v: Record<string, unknown>) {
    const order = this.orders.get(String(v.orderId));
    const refuse = (message: string, code: string) => ({
      job: null,
      orderCancelUserErrors: [{ field: ['orderId'], message, code }],
    });
    if (!order) return refuse('Order does not exist', 'NOT_FOUND');
    if (order.canceled) return refuse('Cannot cancel an order that has already been canceled', 'INVALID');
    if (!CANCEL_REASONS.includes(String(v.reason))) return refuse(`Invalid reason ${String(v.reason)}`, 'INVALID');
    const refundMethod = v.refundMethod as { originalPaymentMethodsRefund?: boolean } | undefined;
    order.canceled = {
      reason: String(v.reason),
      refund: refundMethod?.originalPaymentMethodsRefund === true,
      restock: v.restock === true,
      notifyCustomer: v.notifyCustomer === true,
      staffNote: typeof v.staffNote === 'string' ? v.staffNote : null,
    };
    return { job: { id: `gid://shopify/Job/${this.#nextId++}` }, orderCancelUserErrors: [] };
  }

  /** orderUpdate with a shippingAddress: Shopify refuses an unknown order, a canceled one, and an address without its required parts. */
  #update(input: { id: string; shippingAddress?: Record<string, unknown> }) {
    const refuse = (field: string[], message: string) => ({ order: null, userErrors: [{ field, message }] });
    const order = this.orders.get(String(input.id));
    if (!order) return refuse(['id'], 'Order does not exist');
    if (order.canceled) return refuse(['id'], 'Cannot edit a canceled order');
    const a = input.shippingAddress;
    if (a) {
      for (const f of ['address1', 'city', 'countryCode'] as const)
        if (typeof a[f] !== 'string' || !a[f]) return refuse(['shippingAddress', f], `${f} can't be blank`);
      if (!/^[A-Z]{2}$/.test(String(a.countryCode)))
        return refuse(['shippingAddress', 'countryCode'], 'Country is invalid');
      order.shippingAddress = { ...a };
    }
    return { order: { id: order.id }, userErrors: [] };
  }

  #payments(orderId: string) {
    const order = this.orders.get(orderId);
    if (!order) return null;
    return {
      transactions: order.transactions.map((t) => ({
        id: t.id,
        kind: t.kind,
        status: 'SUCCESS',
        gateway: t.gateway,
        amountSet: { presentmentMoney: { amount: toDecimal(t.amount, order.currency) } },
        parentTransaction: t.parentId ? { id: t.parentId } : null,
      })),
    };
  }

  #refund(input: RefundInput, key: string) {
    const again = this.refunds.find((r) => r.key === key);
    if (again) return { refund: { id: again.id }, userErrors: [] };
    const refuse = (field: string[], message: string) => ({ refund: null, userErrors: [{ field, message }] });
    const order = this.orders.get(input.orderId);
    if (!order) return refuse(['orderId'], 'Order does not exist');
    for (const [i, l] of input.refundLineItems.entries()) {
      if ((order.lines.get(l.lineItemId) ?? 0) < l.quantity)
        return refuse(
          ['refundLineItems', String(i), 'quantity'],
          'Quantity cannot refund more items than were purchased',
        );
    }
    for (const [i, t] of input.transactions.entries()) {
      const parent = order.transactions.find((p) => p.id === t.parentId && p.kind === 'SALE');
      if (!parent) return refuse(['transactions', String(i), 'parentId'], 'Parent transaction does not exist');
      const refunded = order.transactions.filter((r) => r.parentId === parent.id).reduce((a, r) => a + r.amount, 0);
      if (parseDecimal(t.amount, order.currency) > parent.amount - refunded) {
        return refuse(
          ['transactions', String(i), 'amount'],
          `Refund amount ${t.amount} is greater than net payment received ${toDecimal(parent.amount - refunded, order.currency)}`,
        );
      }
    }
    const id = `gid://shopify/Refund/${this.#nextId++}`;
    for (const l of input.refundLineItems) order.lines.set(l.lineItemId, order.lines.get(l.lineItemId)! - l.quantity);
    for (const t of input.transactions) {
      order.transactions.push({
        id: `gid://shopify/OrderTransaction/${this.#nextId++}`,
        kind: 'REFUND',
        gateway: t.gateway,
        amount: parseDecimal(t.amount, order.currency),
        parentId: t.parentId,
      });
    }
    this.refunds.push({
      id,
      orderId: order.id,
      key,
      note: input.note ?? '',
      lines: input.refundLineItems,
      shipping: input.shipping?.amount ?? null,
      transactions: input.transactions.map((t) => ({ parentId: t.parentId, gateway: t.gateway, amount: t.amount })),
    });
    return { refund: { id }, userErrors: [] };
  }
}

interface RefundInput {
  orderId: string;
  note?: string;
  refundLineItems: { lineItemId: string; quantity: number; restockType: string }[];
  shipping?: { amount: string };
  transactions: { orderId: string; kind: string; parentId: string; gateway: string; amount: string }[];
}

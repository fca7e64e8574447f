/**
 * The Shopify port over Shopify's Admin GraphQL API (SOPDESK_SHOPIFY_SHOP, _ACCESS_TOKEN, _API_VERSION):
 *   POST https://{shop}/admin/api/{version}/graphql.json   X-Shopify-Access-Token: {token}
 * Outcomes, as the outbox needs them: `userErrors` (and GraphQL errors other than throttling) → ShopifyRefusal,
 * shown to a person; HTTP 429 or a THROTTLED error → ShopifyThrottled, asked again once Shopify's bucket refilled;
 * 5xx, a network error, no answer in time or an answer that is not JSON → a plain Error, tried again later.
 */
import { parseDecimal, toDecimal } from '../../kernel/money.js';
import { ShopifyRefusal, ShopifyThrottled, type ShopifyPort } from '../../domain/shopify.js';

/** A stable version current when this was written; Shopify supports each for at least a year. */
export const DEFAULT_SHOPIFY_API_VERSION = '2026-10';

export interface ShopifyAdminOptions {
  /** `acme.myshopify.com`; a URL with a scheme (`http://127.0.0.1:8080`) is taken as the origin as it is (test servers). */
  shop: string;
  accessToken: string;
  apiVersion?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

const CANCEL = `mutation SopdeskCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id }
    orderCancelUserErrors { field message code }
  }
}`;

/** The payments a refund goes back onto: Shopify needs each refund transaction's parent and gateway. */
const PAYMENTS = `query SopdeskOrderPayments($id: ID!) {
  order(id: $id) {
    transactions { id kind status gateway amountSet { presentmentMoney { amount } } parentTransaction { id } }
  }
}`;

const REFUND = `mutation SopdeskRefund($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id }
    userErrors { field message }
  }
}`;

const ORDER_UPDATE = `mutation SopdeskOrderAddress($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id }
    userErrors { field message }
  }
}`;

interface UserError {
  field?: string[] | null;
  message: string;
}
interface Transaction {
  id: string;
  kind: string;
  status: string;
  gateway: string;
  amountSet: { presentmentMoney: { amount: string } };
  parentTransaction: { id: string } | null;
}

export function shopifyAdmin(opts: ShopifyAdminOptions): ShopifyPort {
  const origin = opts.shop.includes('://') ? opts.shop.replace(/\/+$/, '') : `https://${opts.shop}`;
  const url = `${origin}/admin/api/${opts.apiVersion ?? DEFAULT_SHOPIFY_API_VERSION}/graphql.json`;
  const call = <T>(query: string, variables: Record<string, unknown>) =>
    graphql<T>(opts.fetch ?? fetch, url, opts.accessToken, opts.timeoutMs ?? 10_000, query, variables);

  return {
    async cancelOrder(c) {
      const data = await call<{ orderCancel: { orderCancelUserErrors: UserError[] } | null }>(CANCEL, {
        orderId: c.shopifyOrderId,
        reason: c.reason.toUpperCase(),
        refundMethod: { originalPaymentMethodsRefund: c.refund },
        restock: c.restock,
        notifyCustomer: c.notifyCustomer,
        staffNote: c.staffNote,
      });
      refuseOn('orderCancel', data.orderCancel?.orderCancelUserErrors);
    },

    async createRefund(r) {
      const order = (await call<{ order: { transactions: Transaction[] } | null }>(PAYMENTS, { id: r.shopifyOrderId }))
        .order;
      if (!order) throw new ShopifyRefusal(`Shopify has no order ${r.shopifyOrderId}.`);
      const transactions = refundTransactions(order.transactions, r.amount, r.currency).map((t) => ({
        orderId: r.shopifyOrderId,
        kind: 'REFUND',
        parentId: t.parentId,
        gateway: t.gateway,
        amount: toDecimal(t.amount, r.currency),
      }));
      const data = await call<{ refundCreate: { refund: { id: string } | null; userErrors: UserError[] } | null }>(
        REFUND,
        {
          key: r.idempotencyKey,
          input: {
            orderId: r.shopifyOrderId,
            note: r.note,
            notify: false,
            transactions,
            refundLineItems: r.lines.map((l) => ({
              lineItemId: l.shopifyLineItemId,
              quantity: l.quantity,
              restockType: l.restockType,
            })),
            ...(r.shipping ? { shipping: { amount: toDecimal(r.shipping, r.currency) } } : {}),
          },
        },
      );
      refuseOn('refundCreate', data.refundCreate?.userErrors);
      const id = data.refundCreate?.refund?.id;
      if (!id) throw new Error('Shopify answered refundCreate without a refund or an error.');
      return { shopifyRefundId: id };
    },

    async updateShippingAddress(u) {
      const data = await call<{ orderUpdate: { userErrors: UserError[] } | null }>(ORDER_UPDATE, {
        input: { id: u.shopifyOrderId, shippingAddress: u.address },
      });
      refuseOn('orderUpdate', data.orderUpdate?.userErrors);
    },
  };
}

/**
 * Spreads `amount` (minor units) over the order's successful sales and captures, newest first, each up to what is
 * still unrefunded on it. What no payment covers is left on the newest: Shopify judges what it can refund, and its
 * refusal is the message a person then reads.
 */
export function refundTransactions(
  all: readonly Transaction[],
  amount: number,
  currency: string,
): { parentId: string; gateway: string; amount: number }[] {
  const ok = all.filter((t) => t.status === 'SUCCESS');
  const minor = (t: Transaction) => parseDecimal(t.amountSet.presentmentMoney.amount, currency);
  const parents = ok.filter((t) => t.kind === 'SALE' || t.kind === 'CAPTURE').reverse();
  if (!parents.length) throw new ShopifyRefusal('Shopify holds no captured payment on this order to refund.');
  let left = amount;
  const parts = parents.map((p) => {
    const refunded = ok
      .filter((t) => t.kind === 'REFUND' && t.parentTransaction?.id === p.id)
      .reduce((a, t) => a + minor(t), 0);
    const take = Math.min(left, Math.max(0, minor(p) - refunded));
    left -= take;
    return { parentId: p.id, gateway: p.gateway, amount: take };
  });
  parts[0]!.amount += left;
  return parts.filter((p) => p.amount > 0);
}

function refuseOn(operation: string, errors: UserError[] | undefined): void {
  if (errors?.length)
    throw new ShopifyRefusal(`Shopify refused ${operation}: ${errors.map((e) => e.message).join('; ')}`);
}

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}
interface Cost {
  requestedQueryCost?: number;
  throttleStatus?: { currentlyAvailable: number; restoreRate: number };
}

async function graphql<T>(
  doFetch: typeof fetch,
  url: string,
  token: string,
  timeoutMs: number,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new Error(`Shopify could not be reached (${e instanceof Error ? e.message : String(e)}).`);
  }
  const text = await res.text();
  if (res.status === 429)
    throw new ShopifyThrottled(
      'Shopify answered 429 (rate limited).',
      secondsHeader(res.headers.get('retry-after')) ?? 2_000,
    );
  if (!res.ok) throw new Error(`Shopify answered ${res.status}: ${text.slice(0, 200)}`);
  let body: { data?: T | null; errors?: GraphqlError[]; extensions?: { cost?: Cost } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error('Shopify answered with something that is not JSON.');
  }
  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'THROTTLED'))
    throw new ShopifyThrottled('Shopify throttled the request (THROTTLED).', refillMs(body.extensions?.cost));
  if (errors.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'))
    throw new Error(`Shopify failed: ${errors[0]!.message}`);
  if (errors.length)
    throw new ShopifyRefusal(`Shopify refused the request: ${errors.map((e) => e.message).join('; ')}`);
  if (!body.data) throw new Error('Shopify answered without data.');
  return body.data;
}

const secondsHeader = (v: string | null): number | undefined =>
  v && /^\d+(\.\d+)?$/.test(v) ? Math.ceil(Number(v) * 1000) : undefined;

/** How long until the bucket holds the request's cost again: (cost − available) / restore rate per second. */
function refillMs(cost: Cost | undefined): number {
  const s = cost?.throttleStatus;
  if (!s || !cost?.requestedQueryCost || s.restoreRate <= 0) return 1_000;
  return Math.max(1_000, Math.ceil(((cost.requestedQueryCost - s.currentlyAvailable) / s.restoreRate) * 1000));
}

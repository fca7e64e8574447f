/** Turns the app's views into the compact tool outputs of src/tools/schemas.ts. */
import type { CustomerRecord } from '../db/repo/customers.js';
import type { OrderView } from '../app/orders/order-view.js';
import type { ActionResult } from '../app/write.js';
import type { ProductDetails } from '../app/catalog/get-product-details.js';
import { type LooseAddress, withNullParts } from '../domain/addresses.js';
import { formatMoney } from '../kernel/money.js';
import type { CustomerOut, MoneyOut, OrderOut, ProductOut } from './schemas.js';

export function moneyOut(amount: number, currency: string): MoneyOut {
  return { amount, currency, formatted: formatMoney(amount, currency) };
}

export function customerOut(c: CustomerRecord): CustomerOut {
  return {
    customerId: c.id,
    name: c.name,
    primaryEmail: c.emails.find((e) => e.isPrimary)?.email ?? c.emails[0]?.email ?? null,
    emails: c.emails.map((e) => e.email),
    phone: c.phone,
    addresses: c.addresses.map((a) => ({ addressId: a.id, ...withNullParts(a), isDefault: a.isDefault })),
    paymentMethods: c.paymentMethods.map((m) => ({
      paymentMethodId: m.id,
      kind: m.kind,
      label: m.label,
      balance: m.balance === null ? null : moneyOut(m.balance, m.currency ?? 'USD'),
    })),
    externalIds: Object.fromEntries(c.externalIds.map((x) => [x.system, x.externalId])),
    createdAt: c.createdAt,
  };
}

type Line = OrderView['lines'][number];
type Pkg = OrderView['packages'][number];

export const itemOut = (l: Line, currency: string) => ({
  itemId: l.id,
  sku: l.sku,
  title: l.title,
  productId: l.productId,
  quantity: l.quantity,
  unitPrice: moneyOut(l.unitPrice, currency),
  total: moneyOut(l.total, currency),
  returnable: l.returnable,
  fulfilledQuantity: l.fulfilledQuantity,
  deliveredQuantity: l.deliveredQuantity,
  packageIds: l.packageIds,
  trackingUrls: l.trackingUrls,
});

export const packageOut = (p: Pkg) => ({
  packageId: p.id,
  status: p.status,
  statusLabel: p.statusLabel,
  carrier: p.carrier,
  trackingNumber: p.trackingNumber,
  trackingUrl: p.trackingUrl,
  estimatedDeliveryAt: p.estimatedDeliveryAt,
  deliveredAt: p.deliveredAt,
  items: p.items.map((i) => ({ itemId: i.lineId, quantity: i.quantity })),
});

const statusOut = (o: OrderView) => ({ ...o.status });

export function orderOut(o: OrderView): OrderOut {
  const m = (n: number) => moneyOut(n, o.currency);
  const t = o.totals;
  return {
    orderId: o.id,
    name: o.name,
    customerId: o.customerId,
    test: o.test,
    channel: o.channel,
    externalRef: o.externalRef,
    placedAt: o.placedAt,
    status: statusOut(o),
    canceledAt: o.canceledAt,
    cancelReason: o.cancelReason,
    shippingAddress: o.shippingAddress ? withNullParts(o.shippingAddress) : null,
    totals: {
      subtotal: m(t.subtotal),
      discount: m(t.discount),
      shipping: m(t.shipping),
      tax: m(t.tax),
      total: m(t.total),
      captured: m(t.captured),
      refunded: m(t.refunded),
      refundable: m(t.refundable),
      outstanding: m(t.outstanding),
    },
    items: o.lines.map((l) => itemOut(l, o.currency)),
    packages: o.packages.map(packageOut),
    payments: o.transactions.map((x) => ({
      transactionId: x.id,
      kind: x.kind,
      status: x.status,
      amount: moneyOut(x.amount, x.currency),
      paymentMethodId: x.paymentMethodId,
      processedAt: x.processedAt,
    })),
  };
}

export function orderSummaryOut(o: OrderView) {
  return {
    orderId: o.id,
    name: o.name,
    placedAt: o.placedAt,
    channel: o.channel,
    status: statusOut(o),
    total: moneyOut(o.totals.total, o.currency),
    items: o.lines.map((l) => ({
      itemId: l.id,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      deliveredQuantity: l.deliveredQuantity,
    })),
    packages: o.packages.map((p) => ({ packageId: p.id, status: p.status, statusLabel: p.statusLabel })),
  };
}

export function productOut(p: ProductDetails): ProductOut {
  return {
    productId: p.id,
    title: p.title,
    category: p.category,
    kind: p.kind === 'digital_access' ? 'digital_access' : 'physical',
    returnable: p.returnable,
    returnWindowDays: p.returnWindow.days,
    variants: p.variants.map((v) => ({
      variantId: v.id,
      sku: v.sku,
      title: v.title,
      options: v.options,
      price: moneyOut(v.price, v.currency),
      available: v.available,
      inventoryQuantity: v.inventoryQuantity,
    })),
  };
}

/** A write tool's answer: the use case's `ActionResult` with its preview and result presented; a dry run has no result. */
export function presentAction<P, R, Q, S>(
  a: ActionResult<P, R>,
  preview: (p: P) => Q,
  result: (r: R) => S,
): ActionResult<Q, S> {
  const out = { dryRun: a.dryRun, preview: preview(a.preview) };
  return a.result === undefined ? out : { ...out, result: result(a.result) };
}

/** For a preview or result that is already in its tool shape. */
export const asIs = <T>(x: T): T => x;

/** A result holding the order view, as get_order_details shows an order. */
export const withOrderOut = <R extends { order: OrderView }>(r: R): Omit<R, 'order'> & { order: OrderOut } => ({
  ...r,
  order: orderOut(r.order),
});

/** A preview that changes an address: before and after shown as every other address is. */
export const withAddressesOut = <P extends { before: LooseAddress | null; after: LooseAddress }>(p: P) => ({
  ...p,
  before: p.before && withNullParts(p.before),
  after: withNullParts(p.after),
});

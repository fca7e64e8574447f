import type { OrderRecord } from '../../db/repo/orders.js';
import {
  deriveStatus,
  FINANCIAL_STATUS_LABEL,
  FULFILLMENT_STATUS_LABEL,
  lineTotal,
  ORDER_STATUS_LABEL,
  shipmentLabel,
  type DerivedStatus,
  type FinancialStatus,
  type FulfillmentStatus,
  type OrderFacts,
  type OrderStatus,
  type OrderTotals,
} from '../../domain/order-status.js';
import { formatOrderNumber } from '../../kernel/ids.js';

/** What every read of an order returns: the facts, plus every status derived from them. */
export interface OrderView {
  id: string;
  number: number;
  /** "#1001", or the channel's own name of the order ("#1166X01"): what customers and agents quote. */
  name: string;
  /** Null when no customer is known (a point-of-sale or draft order without an email). */
  customerId: string | null;
  channel: string;
  /** A test order of the channel (Shopify's test orders): no real money moved. */
  test: boolean;
  externalRef: string | null;
  currency: string;
  placedAt: string;
  shippingAddress: OrderRecord['shippingAddress'];
  note: string | null;
  tags: string[];
  canceledAt: string | null;
  cancelReason: string | null;
  archivedAt: string | null;
  status: {
    order: OrderStatus;
    orderLabel: string;
    financial: FinancialStatus;
    financialLabel: string;
    fulfillment: FulfillmentStatus;
    fulfillmentLabel: string;
  };
  totals: OrderTotals;
  lines: Array<
    OrderRecord['lines'][number] & {
      total: number;
      fulfilledQuantity: number;
      deliveredQuantity: number;
      trackingUrls: string[];
      packageIds: string[];
    }
  >;
  transactions: OrderRecord['transactions'];
  packages: Array<OrderRecord['packages'][number] & { statusLabel: string }>;
}

/** The name customers quote: the channel's own when it has one ("#1166X01"), else "#<number>". */
export const orderName = (o: Pick<OrderRecord, 'number' | 'channelName'>): string =>
  o.channelName ?? formatOrderNumber(o.number);

export function toFacts(o: OrderRecord): OrderFacts {
  return {
    canceledAt: o.canceledAt,
    archivedAt: o.archivedAt,
    shippingFee: o.shippingFee,
    discount: o.discount,
    tax: o.tax,
    lines: o.lines,
    transactions: o.transactions,
    packages: o.packages,
  };
}

export function toOrderView(o: OrderRecord, now: Date): OrderView {
  const d = deriveStatus(toFacts(o), now);
  return {
    id: o.id,
    number: o.number,
    name: orderName(o),
    customerId: o.customerId,
    channel: o.channel,
    test: o.test,
    externalRef: o.externalRef,
    currency: o.currency,
    placedAt: o.placedAt,
    shippingAddress: o.shippingAddress,
    note: o.note,
    tags: o.tags,
    canceledAt: o.canceledAt,
    cancelReason: o.cancelReason,
    archivedAt: o.archivedAt,
    status: statusLabels(d),
    totals: d.totals,
    lines: o.lines.map((l, i) => {
      const p = d.lines[i]!;
      return {
        ...l,
        total: lineTotal(l),
        fulfilledQuantity: p.fulfilled,
        deliveredQuantity: p.delivered,
        trackingUrls: p.trackingUrls,
        packageIds: o.packages.filter((k) => k.items.some((it) => it.lineId === l.id)).map((k) => k.id),
      };
    }),
    transactions: o.transactions,
    packages: o.packages.map((k) => ({ ...k, statusLabel: shipmentLabel(k, now) })),
  };
}

/** The three derived statuses with the labels people see. */
export function statusLabels(d: DerivedStatus) {
  return {
    order: d.orderStatus,
    orderLabel: ORDER_STATUS_LABEL[d.orderStatus],
    financial: d.financialStatus,
    financialLabel: FINANCIAL_STATUS_LABEL[d.financialStatus],
    fulfillment: d.fulfillmentStatus,
    fulfillmentLabel: FULFILLMENT_STATUS_LABEL[d.fulfillmentStatus],
  };
}

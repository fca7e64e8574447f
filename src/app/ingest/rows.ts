/**
 * Turns validated ingest input into table rows. Shared by the single-record ingest API and the bulk
 * snapshot import so both accept and reject exactly the same records.
 */
import { phoneDigits } from '../../db/repo/customers.js';
import type { VariantRef } from '../../db/repo/catalog.js';
import type { CustomerRowsInsert, ProductRowsInsert } from '../../db/repo/ingest.js';
import type { OrderRowsWrite } from '../../db/repo/orders.js';
import { invalid } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { sumMinor } from '../../kernel/money.js';
import type { CustomerInput, OrderInput, ProductInput, TransactionInput } from './schemas.js';
import { withNullParts } from '../../domain/addresses.js';
import { lineTitle } from '../../domain/catalog.js';
import { normalizeTags } from '../../domain/tags.js';

export type CustomerRows = CustomerRowsInsert;

export function customerRows(input: CustomerInput, now: string, id = input.id ?? newId('customer')): CustomerRows {
  const createdAt = input.createdAt ?? now;
  const seen = new Set<string>();
  input.emails.forEach((e, i) => {
    if (seen.has(e.toLowerCase())) throw invalid(`emails.${i}`, `${e} is listed twice`);
    seen.add(e.toLowerCase());
  });
  const defaultIndex = Math.max(
    0,
    input.addresses.findIndex((a) => a.isDefault),
  );
  return {
    customer: {
      id,
      name: input.name,
      phone: input.phone ?? null,
      phoneDigits: input.phone ? phoneDigits(input.phone) : null,
      ...(input.tags !== undefined ? { tags: normalizeTags(input.tags) } : {}),
      createdAt,
      updatedAt: now,
    },
    emails: input.emails.map((email, i) => ({ customerId: id, email, isPrimary: i === 0 })),
    addresses: input.addresses.map((a, i) => ({
      id: `adr_${id.slice(4)}${i}`,
      customerId: id,
      ...withNullParts(a),
      isDefault: i === defaultIndex,
    })),
    externalIds: Object.entries(input.externalIds).map(([system, externalId]) => ({
      customerId: id,
      system,
      externalId,
    })),
    paymentMethods: input.paymentMethods.map((m, i) => ({
      id: m.id ?? newId('paymentMethod'),
      customerId: id,
      kind: m.kind,
      label: m.label ?? defaultLabel(m.kind, m.brand, m.last4) ?? `${m.kind} ${i + 1}`,
      brand: m.brand ?? null,
      last4: m.last4 ?? null,
      balance: m.kind === 'gift_card' || m.kind === 'store_credit' ? (m.balance ?? 0) : null,
      currency: m.currency ?? null,
      createdAt,
    })),
  };
}

function defaultLabel(kind: string, brand?: string, last4?: string): string | undefined {
  if (kind === 'card') return `${brand ?? 'Card'}${last4 ? ` •••• ${last4}` : ''}`;
  if (kind === 'paypal') return 'PayPal';
  if (kind === 'gift_card') return `Gift card${last4 ? ` •••• ${last4}` : ''}`;
  if (kind === 'store_credit') return 'Store credit';
  return undefined;
}

export function productRows(input: ProductInput, now: string, id = input.id ?? newId('product')): ProductRowsInsert {
  const skus = new Set<string>();
  input.variants.forEach((v, i) => {
    if (skus.has(v.sku)) throw invalid(`variants.${i}.sku`, `SKU ${v.sku} is listed twice`);
    skus.add(v.sku);
  });
  return {
    product: {
      id,
      title: input.title,
      category: input.category ?? null,
      kind: input.kind,
      returnable: input.returnable,
      returnWindowDays: input.returnWindowDays ?? null,
      createdAt: input.createdAt ?? now,
      updatedAt: now,
    },
    variants: input.variants.map((v) => ({
      id: v.id ?? newId('variant'),
      productId: id,
      sku: v.sku,
      title: v.title,
      options: v.options,
      price: v.price,
      currency: v.currency,
      available: v.available,
      // Null or missing: the variant does not track stock (always available while `available`), as the schema says.
      inventoryQuantity: v.inventoryQuantity ?? null,
    })),
  };
}

export type { VariantRef };

export type OrderRows = OrderRowsWrite;

/**
 * Resolves SKUs, defaults prices and titles, and checks what a schema cannot: every SKU is known,
 * currencies agree, package items name lines of this order and never ship more than was ordered.
 */
export function orderRows(
  input: OrderInput,
  opts: {
    now: string;
    number: number;
    variant: (sku: string) => VariantRef | undefined;
    paymentMethodOwner?: (id: string) => string | undefined;
  },
): OrderRows {
  const id = input.id ?? newId('order');
  const placedAt = input.placedAt ?? opts.now;
  const lines = input.lines.map((l, i) => {
    const v = opts.variant(l.sku);
    if (!v) throw invalid(`lines.${i}.sku`, `no product variant has SKU ${l.sku}; create the product first`);
    if (v.currency !== input.currency)
      throw invalid(`lines.${i}.sku`, `${l.sku} is priced in ${v.currency}, the order is in ${input.currency}`);
    const unitPrice = l.unitPrice ?? v.price;
    if (l.discount > l.quantity * unitPrice) throw invalid(`lines.${i}.discount`, 'is larger than the line amount');
    return {
      id: l.id ?? newId('line'),
      orderId: id,
      position: i,
      variantId: v.id,
      sku: l.sku,
      title: l.title ?? lineTitle(v.productTitle, v.title),
      quantity: l.quantity,
      unitPrice,
      discount: l.discount,
      externalRef: l.externalRef ?? null,
    };
  });
  const subtotal = sumMinor(lines.map((l) => l.quantity * l.unitPrice - l.discount));
  if (input.discount > subtotal) throw invalid('discount', 'is larger than the order subtotal');

  const txIds = new Set<string>();
  const transactions = input.transactions.map((t, i) => {
    const tid = t.id ?? newId('transaction');
    if (t.parentId && !txIds.has(t.parentId))
      throw invalid(`transactions.${i}.parentId`, 'must name an earlier transaction of this order');
    if (t.paymentMethodId && opts.paymentMethodOwner) {
      const owner = opts.paymentMethodOwner(t.paymentMethodId);
      if (owner !== input.customerId)
        throw invalid(`transactions.${i}.paymentMethodId`, 'is not a payment method of this customer');
    }
    txIds.add(tid);
    return transactionRow(t, { id: tid, orderId: id, currency: input.currency, processedAt: placedAt });
  });

  const packed = new Map<string, number>();
  const packageItems: OrderRows['packageItems'] = [];
  const packages = input.packages.map((p, i) => {
    const pid = p.id ?? newId('package');
    p.items.forEach((it, j) => {
      const line = it.lineId ? lines.find((l) => l.id === it.lineId) : lines.find((l) => l.sku === it.sku);
      if (!line) throw invalid(`packages.${i}.items.${j}`, 'must name a line of this order by lineId or sku');
      const total = (packed.get(line.id) ?? 0) + it.quantity;
      if (p.status !== 'failed') {
        if (total > line.quantity)
          throw invalid(
            `packages.${i}.items.${j}.quantity`,
            `ships ${total} of ${line.sku} but only ${line.quantity} were ordered`,
          );
        packed.set(line.id, total);
      }
      packageItems.push({ packageId: pid, lineId: line.id, quantity: it.quantity });
    });
    const createdAt = p.createdAt ?? placedAt;
    return {
      id: pid,
      orderId: id,
      carrier: p.carrier ?? null,
      trackingNumber: p.trackingNumber ?? null,
      trackingUrl: p.trackingUrl ?? null,
      status: p.status,
      estimatedDeliveryAt: p.estimatedDeliveryAt ?? null,
      deliveredAt: p.deliveredAt ?? (p.status === 'delivered' ? createdAt : null),
      createdAt,
      updatedAt: p.updatedAt ?? createdAt,
    };
  });

  if (input.accessCodes.length && !input.customerId)
    throw invalid('customerId', 'is needed for an order with access codes: codes are issued to a customer');
  const accessCodes = input.accessCodes.map((a, i) => {
    const line = a.lineId ? lines.find((l) => l.id === a.lineId) : lines.find((l) => l.sku === a.sku);
    if (!line) throw invalid(`accessCodes.${i}`, 'must name a line of this order by lineId or sku');
    return {
      id: a.id ?? newId('accessCode'),
      lineId: line.id,
      customerId: input.customerId!,
      sku: a.sku,
      code: a.code,
      issuedAt: a.issuedAt ?? placedAt,
      revokedAt: a.revokedAt ?? null,
    };
  });

  return {
    order: {
      id,
      number: opts.number,
      customerId: input.customerId ?? null,
      channel: input.channel,
      externalRef: input.externalRef ?? null,
      channelName: input.channelName ?? null,
      test: input.test,
      currency: input.currency,
      placedAt,
      shippingAddress: input.shippingAddress ?? null,
      shippingFee: input.shippingFee,
      discount: input.discount,
      tax: input.tax,
      note: input.note ?? null,
      tags: input.tags !== undefined ? normalizeTags(input.tags) : null,
      canceledAt: input.canceledAt ?? null,
      cancelReason: input.cancelReason ?? null,
      archivedAt: input.archivedAt ?? null,
      createdAt: placedAt,
      updatedAt: opts.now,
    },
    lines,
    transactions,
    packages,
    packageItems,
    accessCodes,
  };
}

/** A payment transaction row: the order's currency, and `processedAt` when the provider gave no time. */
export function transactionRow(
  t: TransactionInput,
  at: { id: string; orderId: string; currency: string; processedAt: string },
) {
  return {
    id: at.id,
    orderId: at.orderId,
    paymentMethodId: t.paymentMethodId ?? null,
    kind: t.kind,
    status: t.status,
    amount: t.amount,
    currency: at.currency,
    parentId: t.parentId ?? null,
    gatewayRef: t.gatewayRef ?? null,
    expiresAt: t.expiresAt ?? null,
    processedAt: t.processedAt ?? at.processedAt,
  };
}

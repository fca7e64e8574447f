/**
 * Builds one demo order record from a short description: the lines, the financial status wanted and the
 * packages. The facts (transactions, packages, cancel/archive times) are chosen so that the statuses
 * derived from them are exactly the ones described.
 */
import type { z } from 'zod';
import { DAY_MS } from '../../kernel/clock.js';
import { seededId } from '../../kernel/ids.js';
import type { FinancialStatus, ShipmentStatus } from '../../domain/order-status.js';
import { isMarketplaceChannel } from '../../domain/marketplace.js';
import type { OrderRecord } from '../snapshot/records.js';
import type { DemoVariant } from './catalog.js';
import type { Random } from './random.js';

export type OrderRecordInput = z.input<typeof OrderRecord>;
type TxInput = NonNullable<OrderRecordInput['transactions']>[number];
type PackageRecordInput = NonNullable<OrderRecordInput['packages']>[number];

export interface DemoCustomerRef {
  id: string;
  cardId: string;
  giftCardId?: string | undefined;
  address: { name?: string; line1: string; city: string; region?: string; zip: string; country: string };
}

export interface PackageSpec {
  status: ShipmentStatus;
  /** [line index, quantity]. */
  items: [number, number][];
  /** Days after placement the package was created. */
  shippedAfterDays: number;
  /** Days after placement it was (or is expected to be) delivered. */
  deliveryAfterDays?: number | undefined;
}

export interface OrderSpec {
  number: number;
  customer: DemoCustomerRef;
  placedAt: number;
  lines: { variant: DemoVariant; quantity: number }[];
  financial: FinancialStatus;
  packages: PackageSpec[];
  channel?: string | undefined;
  externalRef?: string | undefined;
  shippingFee?: number | undefined;
  /** Minor units paid when the financial status is partially_paid. */
  paidAmount?: number | undefined;
  /** Pay part with the customer's gift card. */
  giftCardAmount?: number | undefined;
  canceledAfterDays?: number | undefined;
  archivedAfterDays?: number | undefined;
  /** Names the case so tests and SOP scenarios can find it (`demo:…`). */
  note?: string | undefined;
  /** Issue access codes for digital lines. */
  accessCodes?: boolean | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const CARRIERS: Record<string, string> = { USD: 'UPS', AUD: 'AusPost' };

export function orderTotal(spec: Pick<OrderSpec, 'lines' | 'shippingFee'>): {
  subtotal: number;
  tax: number;
  total: number;
} {
  const subtotal = spec.lines.reduce((s, l) => s + l.quantity * l.variant.price, 0);
  // 10% sales tax on goods; the courses (digital access) are sold at their list price.
  const tax = Math.floor(
    spec.lines.reduce((s, l) => s + (l.variant.physical ? l.quantity * l.variant.price : 0), 0) / 10,
  );
  return { subtotal, tax, total: subtotal + tax + (spec.shippingFee ?? 0) };
}

function payments(spec: OrderSpec, total: number, rand: Random): TxInput[] {
  const at = spec.placedAt + 60_000;
  const id = () => seededId('transaction', rand.next, at);
  // A marketplace order was paid to the marketplace (Kogan): no card of the customer's with the store is charged.
  const card = isMarketplaceChannel(spec.channel ?? '') ? undefined : spec.customer.cardId;
  const sale = (amount: number, pm: string | undefined = card): TxInput => ({
    id: id(),
    kind: 'sale',
    amount,
    paymentMethodId: pm,
    gatewayRef: `ch_${rand.digits(12)}`,
    processedAt: iso(at),
  });
  const refund = (amount: number): TxInput => ({
    id: id(),
    kind: 'refund',
    amount,
    paymentMethodId: card,
    processedAt: iso(spec.placedAt + 5 * DAY_MS),
  });
  switch (spec.financial) {
    case 'paid': {
      const gift = spec.giftCardAmount && spec.customer.giftCardId ? Math.min(spec.giftCardAmount, total - 1) : 0;
      return gift > 0 ? [sale(gift, spec.customer.giftCardId), sale(total - gift)] : [sale(total)];
    }
    case 'pending':
      return [];
    case 'partially_paid':
      return [sale(spec.paidAmount ?? Math.max(1, Math.floor(total / 2)))];
    case 'partially_refunded':
      return [sale(total), refund(Math.max(1, Math.floor(total / 3)))];
    case 'refunded':
      return [sale(total), refund(total)];
    case 'voided':
    case 'authorized':
    case 'expired': {
      const auth: TxInput = {
        id: id(),
        kind: 'authorization',
        amount: total,
        paymentMethodId: card,
        processedAt: iso(at),
        expiresAt: iso(spec.placedAt + (spec.financial === 'expired' ? 7 : 30) * DAY_MS),
      };
      if (spec.financial !== 'voided') return [auth];
      return [
        auth,
        {
          id: id(),
          kind: 'void',
          amount: total,
          paymentMethodId: card,
          parentId: auth.id!,
          processedAt: iso(at + 3_600_000),
        },
      ];
    }
  }
}

export function buildOrder(spec: OrderSpec, rand: Random): OrderRecordInput {
  const currency = spec.lines[0]!.variant.currency;
  const { tax, total } = orderTotal(spec);
  const orderId = seededId('order', rand.next, spec.placedAt);
  const lines = spec.lines.map((l) => ({
    id: seededId('line', rand.next, spec.placedAt),
    sku: l.variant.sku,
    title: l.variant.lineTitle,
    quantity: l.quantity,
    unitPrice: l.variant.price,
    discount: 0,
  }));
  const carrier = CARRIERS[currency] ?? 'UPS';
  const packages = spec.packages.map((p, k): PackageRecordInput => {
    const created = spec.placedAt + p.shippedAfterDays * DAY_MS;
    const trackingNumber = `${carrier === 'UPS' ? '1Z' : 'AP'}${spec.number}${k}${rand.digits(6)}`;
    const delivery = p.deliveryAfterDays !== undefined ? spec.placedAt + p.deliveryAfterDays * DAY_MS : undefined;
    return {
      id: seededId('package', rand.next, created),
      carrier,
      trackingNumber,
      trackingUrl: `https://track.example.com/${carrier.toLowerCase()}/${trackingNumber}`,
      status: p.status,
      ...(p.status === 'delivered' && delivery !== undefined ? { deliveredAt: iso(delivery) } : {}),
      ...(p.status !== 'delivered' && delivery !== undefined ? { estimatedDeliveryAt: iso(delivery) } : {}),
      items: p.items.map(([i, quantity]) => ({ lineId: lines[i]!.id, quantity })),
      createdAt: iso(created),
    };
  });
  const accessCodes = spec.accessCodes
    ? spec.lines.flatMap((l, i) =>
        l.variant.physical
          ? []
          : Array.from({ length: l.quantity }, (_, q) => ({
              id: seededId('accessCode', rand.next, spec.placedAt),
              lineId: lines[i]!.id,
              sku: l.variant.sku,
              code: `${l.variant.sku.replace(/[^A-Z0-9]/g, '')}-${spec.number}-${q + 1}-${rand.digits(4)}`,
              issuedAt: iso(spec.placedAt + 120_000),
            })),
      )
    : [];
  return {
    type: 'order',
    id: orderId,
    number: spec.number,
    customerId: spec.customer.id,
    channel: spec.channel ?? 'shopify',
    externalRef: spec.externalRef ?? `gid-${4500000000 + spec.number}`,
    currency,
    placedAt: iso(spec.placedAt),
    shippingAddress: spec.customer.address,
    shippingFee: spec.shippingFee ?? 0,
    discount: 0,
    tax,
    ...(spec.note ? { note: spec.note } : {}),
    ...(spec.canceledAfterDays !== undefined
      ? { canceledAt: iso(spec.placedAt + spec.canceledAfterDays * DAY_MS), cancelReason: 'customer' }
      : {}),
    ...(spec.archivedAfterDays !== undefined
      ? { archivedAt: iso(spec.placedAt + spec.archivedAfterDays * DAY_MS) }
      : {}),
    lines,
    transactions: payments(spec, total, rand),
    packages,
    accessCodes,
  };
}

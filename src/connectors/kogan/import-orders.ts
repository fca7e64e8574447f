/**
 * Kogan orders into the record, by polling (SOPDESK_KOGAN_POLL_SECONDS): Kogan's open orders are read, all at once
 * (GET /orders/?status=ReleasedForShipment, with no limit: Kogan answers every open order in one list and documents no
 * paging), and each order not known yet is written in a transaction of its own — its buyer
 * found by email or created, its lines by SKU (each keeps Kogan's OrderItemID as its external ref), Kogan's order `ID`
 * as the order's external ref (taken to be the `ESG-…` number; Kogan does not document its form), its discounts as the
 * order's discount and a lower shipping fee, and Kogan's payment as a sale of what the buyer paid (koganOrderAmounts) with
 * no payment method of the customer's (the money is Kogan's; src/domain/marketplace.ts). An order found by channel + reference is left as
 * it is, so a second poll writes nothing (two pollers racing on a new order: the unique index on channel + reference
 * lets one write it, the other is reported and finds it known next time); an order
 * sopdesk cannot take (a SKU it does not sell) is reported and skipped, not retried into a loop of errors.
 */
import { createOrderIn } from '../../app/ingest/create-order.js';
import { upsertCustomerIn } from '../../app/ingest/upsert-customer.js';
import { CustomerInput, OrderInput } from '../../app/ingest/schemas.js';
import type { AppContext } from '../../app/context.js';
import { write } from '../../app/write.js';
import { findCustomerIdByEmail } from '../../db/repo/email.js';
import { lockOrderByChannelRef } from '../../db/repo/orders.js';
import { KOGAN_CHANNEL, koganOrderAmounts, type KoganOrder, type KoganPort } from '../../domain/kogan.js';
import type { Actor } from '../../domain/timeline.js';
import { isDomainError } from '../../kernel/errors.js';
import { type Loop, loopPasses } from '../../kernel/passes.js';

const KOGAN_ACTOR: Actor = { kind: 'system', id: 'kogan' };

export interface KoganImportResult {
  created: number;
  known: number;
  skipped: { ref: string; message: string }[];
}

/**
 * The order as sopdesk's ingest input (pure): lines at Kogan's unit prices, the discounts as the order's discount and
 * a lower shipping fee, and a sale of what the buyer paid (koganOrderAmounts), so the order's total is what was paid.
 */
export function koganOrderInput(o: KoganOrder, customerId: string): OrderInput {
  const { shippingFee, discount, tax, paid } = koganOrderAmounts(o);
  return OrderInput.parse({
    customerId,
    currency: o.currency,
    channel: KOGAN_CHANNEL,
    externalRef: o.ref,
    placedAt: o.placedAt,
    shippingFee,
    discount,
    tax,
    ...(o.shippingAddress
      ? {
          shippingAddress: {
            ...(o.shippingAddress.name ? { name: o.shippingAddress.name } : {}),
            line1: o.shippingAddress.line1,
            ...(o.shippingAddress.line2 ? { line2: o.shippingAddress.line2 } : {}),
            city: o.shippingAddress.city,
            ...(o.shippingAddress.region ? { region: o.shippingAddress.region } : {}),
            zip: o.shippingAddress.zip,
            country: o.shippingAddress.country,
          },
        }
      : {}),
    lines: o.items.map((i) => ({ sku: i.sku, quantity: i.quantity, unitPrice: i.unitPrice, externalRef: i.id })),
    transactions: paid > 0 ? [{ kind: 'sale', amount: paid, gatewayRef: `kogan:${o.ref}` }] : [],
  });
}

/** One Kogan order: written unless known; says which. */
export async function importKoganOrder(ctx: AppContext, o: KoganOrder): Promise<'created' | 'known'> {
  const r = await write(ctx, 'import_kogan_order', { ref: o.ref }, { actor: KOGAN_ACTOR }, async (scope) => {
    if (await lockOrderByChannelRef(scope.tx, KOGAN_CHANNEL, o.ref)) return { outcome: 'known' as const };
    const email = o.buyer.email;
    let customerId = email ? await findCustomerIdByEmail(scope.tx, email) : undefined;
    if (!customerId) {
      const name = [o.buyer.firstName, o.buyer.lastName].filter(Boolean).join(' ') || `Kogan buyer ${o.ref}`;
      const customer = await upsertCustomerIn(
        scope,
        CustomerInput.parse({
          name,
          emails: [email ?? `${o.ref.toLowerCase()}@kogan.invalid`],
          ...(o.buyer.phone && o.buyer.phone.length >= 4 ? { phone: o.buyer.phone } : {}),
        }),
      );
      customerId = customer.id;
    }
    await createOrderIn(scope, koganOrderInput(o, customerId));
    return { outcome: 'created' as const };
  });
  return r.outcome;
}

/** Reads Kogan's open orders and imports each. */
export async function importKoganOrders(ctx: AppContext, port: KoganPort): Promise<KoganImportResult> {
  const result: KoganImportResult = { created: 0, known: 0, skipped: [] };
  for (const o of await port.listOrders()) {
    try {
      result[await importKoganOrder(ctx, o)]++;
    } catch (e) {
      if (!isDomainError(e)) throw e;
      result.skipped.push({ ref: o.ref, message: e.message });
    }
  }
  return result;
}

/** The poll started by `sopdesk start` when Kogan is configured: an import every `intervalMs`, never two at once. */
export function startKoganPoller(ctx: AppContext, port: KoganPort, intervalMs: number): Loop {
  return loopPasses(
    async () => {
      const r = await importKoganOrders(ctx, port);
      for (const s of r.skipped) console.error(`sopdesk kogan: order ${s.ref} not imported: ${s.message}`);
      return false;
    },
    intervalMs,
    (e) => console.error('sopdesk kogan: poll failed:', e instanceof Error ? e.message : e),
  );
}

/**
 * Shopify resources → sopdesk ingest input. Pure: no I/O, no clock. docs/connectors.md ("Shopify") says what maps
 * to what; the choices that are easy to get wrong are written beside the code that makes them.
 *
 * Identity: the order is found by channel `shopify` + `externalRef` = Shopify's order id (stable; the name "#1001" is
 * display text a merchant can re-prefix). Customers carry `externalIds.shopify`; variants are matched by SKU, the
 * catalogue's own key. Lines, packages, refunds and transactions get `derivedId`s from their Shopify ids, so "is this
 * fact new?" is "is this id absent?", and a fact delivered by two webhooks is written once.
 */
import { addressKey, type ChannelOrderEdit } from '../../app/ingest/record-order-edit.js';
import type { ChannelRefund } from '../../app/ingest/record-refund.js';
import type {
  AddressInput,
  CustomerInput,
  OrderInput,
  PackageInput,
  ProductInput,
  TransactionInput,
} from '../../app/ingest/schemas.js';
import type { CustomerRecord } from '../../db/repo/customers.js';
import { lineTitle } from '../../domain/catalog.js';
import type { ShipmentStatus } from '../../domain/order-status.js';
import { invalid, notEligible } from '../../kernel/errors.js';
import { derivedId } from '../../kernel/ids.js';
import { refundIdOfNote, shopifyGid } from '../../domain/shopify.js';
import { parseDecimal, sumMinor } from '../../kernel/money.js';
import { TEXT_LIMITS } from '../../kernel/limits.js';
import { cutText } from './clip.js';
import type {
  ShopifyAddress,
  ShopifyCustomer,
  ShopifyFulfillment,
  ShopifyLineItem,
  ShopifyOrder,
  ShopifyProduct,
  ShopifyRefund,
  ShopifyTransaction,
} from './payloads.js';

/** The channel of Shopify orders and the system name of Shopify ids in `externalIds`. */
export const SHOPIFY = 'shopify';

/**
 * The idempotency key of writing one Shopify fact (an order, a payment, a package, …), the same whichever webhook
 * brings it: two deliveries racing to write it wait for each other, and the second gets the first one's answer.
 * Changes that can happen again (a customer's new name, a product's new price) are keyed by their webhook instead.
 */
export const factKey = (kind: string, id: string) => `${SHOPIFY}:${kind}:${id}`;

const AMOUNT_POLICY =
  'Shopify money is a decimal string with at most as many decimals as its currency has (JPY 0, USD 2, KWD 3).';

/** A Shopify decimal string in minor units of `currency`; a malformed one is refused naming the field, never rounded. */
export function minorUnits(text: string, currency: string, path: string): number {
  let value: number;
  try {
    value = parseDecimal(text, currency);
  } catch (e) {
    const message = `"${text}" is not an amount in ${currency}: ${e instanceof RangeError ? e.message : 'unreadable'}`;
    throw notEligible('invalid_amount', `${path}: ${message}`, AMOUNT_POLICY, { fields: [{ path, message }] });
  }
  if (value < 0)
    throw notEligible('invalid_amount', `${path}: "${text}" is negative`, AMOUNT_POLICY, {
      fields: [{ path, message: 'is negative' }],
    });
  return value;
}

const ms = (iso: string) => Date.parse(iso);

export const lineIdOf = (placedAt: string, shopifyLineId: string) =>
  derivedId('line', ms(placedAt), `shopify:line_item:${shopifyLineId}`);
export const packageIdOf = (f: Pick<ShopifyFulfillment, 'id' | 'created_at'>) =>
  derivedId('package', ms(f.created_at), `shopify:fulfillment:${f.id}`);
const transactionIdOf = (at: string, shopifyTransactionId: string) =>
  derivedId('transaction', ms(at), `shopify:transaction:${shopifyTransactionId}`);
/**
 * The sopdesk product of a Shopify product, whichever webhook brings it first: an order naming one of its variants or a
 * products/* webhook. Without it, two orders of two new variants of one product made two sopdesk products, and the
 * product's next update, holding both SKUs, could not be applied. Neither payload says when the product was made the
 * same way (an order line does not at all), so the time part is fixed.
 */
export const productIdOf = (shopifyProductId: string) => derivedId('product', 0, `shopify:product:${shopifyProductId}`);
/** The id of a payment sopdesk infers from `financial_status` (one per kind per order, see `inferredPayments`). */
const inferredIdOf = (placedAt: string, orderId: string, kind: string) =>
  derivedId('transaction', ms(placedAt), `shopify:order:${orderId}:${kind}`);

/** A variant without a SKU still needs one in sopdesk (its catalogue key): `shopify-<variant id>`, or the line's id for a custom item. */
export function skuOf(li: Pick<ShopifyLineItem, 'sku' | 'variant_id' | 'id'>): string {
  return li.sku?.trim() || `shopify-${li.variant_id ?? `line-${li.id}`}`;
}

/** A complete address, or none: sopdesk needs a street, city, postal code and country; Shopify allows less. */
export function addressOf(a: ShopifyAddress | null | undefined): AddressInput | undefined {
  if (!a?.address1?.trim() || !a.city?.trim() || !a.zip?.trim() || !/^[A-Z]{2}$/.test(a.country_code ?? ''))
    return undefined;
  const name = a.name?.trim() || [a.first_name, a.last_name].filter((x) => x?.trim()).join(' ');
  return {
    ...(name ? { name } : {}),
    line1: a.address1.trim(),
    ...(a.address2?.trim() ? { line2: a.address2.trim() } : {}),
    city: a.city.trim(),
    ...(a.province_code?.trim() ? { region: a.province_code.trim() } : {}),
    zip: a.zip.trim(),
    country: a.country_code!,
  };
}

/**
 * The customer of a Shopify customer resource (or of an order: its `customer`, falling back to the order's email for
 * a guest checkout). sopdesk knows a customer by email, so one without any is refused naming the field.
 */
export function customerOf(
  c: ShopifyCustomer | null | undefined,
  fallbackEmail?: string | null,
  path = 'email',
): CustomerInput {
  const email = c?.email?.trim() || fallbackEmail?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw invalid(path, 'Shopify sent no usable email; sopdesk needs one to know the customer');
  const name =
    [c?.first_name, c?.last_name]
      .filter((x) => x?.trim())
      .map((x) => x!.trim())
      .join(' ') || email;
  const address = addressOf(c?.default_address);
  return {
    name,
    emails: [email],
    ...(c?.phone && c.phone.trim().length >= 4 ? { phone: c.phone.trim() } : {}),
    addresses: address ? [{ ...address, isDefault: true }] : [],
    externalIds: c ? { [SHOPIFY]: c.id } : {},
    paymentMethods: [],
    // Every customer payload carries all its tags ("" for none): they replace what the customer had.
    ...(typeof c?.tags === 'string' ? { tags: c.tags } : {}),
    ...(c?.created_at ? { createdAt: c.created_at } : {}),
  };
}

/**
 * A Shopify customer laid over the one sopdesk has: Shopify's name, phone and email (first) win; sopdesk keeps the
 * other emails, addresses and external ids it holds (upsertCustomer replaces those lists, so they are carried over).
 */
export function mergeCustomer(existing: CustomerRecord, shopify: CustomerInput): CustomerInput & { id: string } {
  const emails = [...shopify.emails];
  for (const e of existing.emails)
    if (!emails.some((x) => x.toLowerCase() === e.email.toLowerCase())) emails.push(e.email);
  const addresses: CustomerInput['addresses'] = existing.addresses.map((a) => ({
    line1: a.line1,
    city: a.city,
    zip: a.zip,
    country: a.country,
    isDefault: a.isDefault,
    ...(a.name ? { name: a.name } : {}),
    ...(a.line2 ? { line2: a.line2 } : {}),
    ...(a.region ? { region: a.region } : {}),
  }));
  for (const a of shopify.addresses)
    if (!addresses.some((x) => x.line1 === a.line1 && x.zip === a.zip))
      addresses.push({ ...a, isDefault: addresses.length === 0 });
  const phone = shopify.phone ?? existing.phone ?? undefined;
  return {
    id: existing.id,
    name: shopify.name,
    emails,
    ...(phone ? { phone } : {}),
    addresses,
    externalIds: {
      ...Object.fromEntries(existing.externalIds.map((x) => [x.system, x.externalId])),
      ...shopify.externalIds,
    },
    paymentMethods: [],
    ...(shopify.tags !== undefined ? { tags: shopify.tags } : {}),
  };
}

/** The shipment status of a fulfillment: a cancelled or failed fulfillment is a `failed` package (its units are unfulfilled again). */
export function shipmentStatusOf(f: Pick<ShopifyFulfillment, 'status' | 'shipment_status'>): ShipmentStatus {
  if (f.status === 'cancelled' || f.status === 'error' || f.status === 'failure') return 'failed';
  switch (f.shipment_status) {
    case 'delivered':
      return 'delivered';
    case 'out_for_delivery':
      return 'out_for_delivery';
    // An attempted delivery is still on its way: the carrier tries again.
    case 'in_transit':
    case 'attempted_delivery':
      return 'in_transit';
    case 'ready_for_pickup':
      return 'ready_for_pickup';
    case 'failure':
      return 'failed';
    default:
      return 'label_created';
  }
}

/** A Shopify fulfillment as a package: its derived id, and `updatedAt` = when Shopify last changed it. */
export type ShopifyPackage = PackageInput & { id: string; updatedAt: string; status: ShipmentStatus };

/** Why Shopify canceled the order (`customer`, `fraud`, …), cut to sopdesk's limit; `other` when it does not say. */
export const cancelReasonOf = (o: Pick<ShopifyOrder, 'cancel_reason'>): string =>
  cutText(o.cancel_reason?.trim() || 'other', TEXT_LIMITS.line);

/** A fulfillment as a package of the order placed at `placedAt`. */
export function packageOf(f: ShopifyFulfillment, placedAt: string): ShopifyPackage {
  const status = shipmentStatusOf(f);
  const trackingUrl =
    f.tracking_url &&
    f.tracking_url.length <= TEXT_LIMITS.line &&
    URL.canParse(f.tracking_url) &&
    /^https?:/.test(f.tracking_url)
      ? f.tracking_url
      : undefined;
  return {
    id: packageIdOf(f),
    ...(f.tracking_company?.trim() ? { carrier: cutText(f.tracking_company.trim(), TEXT_LIMITS.name) } : {}),
    ...(f.tracking_number?.trim() ? { trackingNumber: cutText(f.tracking_number.trim(), TEXT_LIMITS.code) } : {}),
    ...(trackingUrl ? { trackingUrl } : {}),
    status,
    ...(status === 'delivered' ? { deliveredAt: f.updated_at } : {}),
    items: f.line_items.map((li) => ({ lineId: lineIdOf(placedAt, li.id), quantity: li.quantity })),
    createdAt: f.created_at,
    updatedAt: f.updated_at,
  };
}

/**
 * A Shopify refund as the refund it is in sopdesk: its units per line, its shipping, and its successful refund
 * transactions, against the payment they return (`against`: the order's capture or sale, when sopdesk has one).
 * A refund none of whose transactions succeeded moved no money: none (a later webhook brings it once it has).
 */
export function refundOf(
  r: Pick<
    ShopifyRefund,
    'id' | 'created_at' | 'processed_at' | 'note' | 'refund_line_items' | 'transactions' | 'order_adjustments'
  >,
  currency: string,
  placedAt: string,
  against: string | undefined,
  path: string,
): ChannelRefund | undefined {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  // Shopify's test-notification refund has no `created_at`: its processing time, a transaction's, or the order's (all
  // read from the payload, so the same refund always gets the same id).
  const createdAt = r.created_at ?? r.processed_at ?? r.transactions.find((t) => t.created_at)?.created_at ?? placedAt;
  const transactions = r.transactions.flatMap((t: ShopifyTransaction, j) =>
    t.kind === 'refund' && t.status === 'success'
      ? [
          {
            id: transactionIdOf(t.created_at ?? createdAt, t.id),
            amount: minorUnits(t.amount, currency, at(`transactions.${j}.amount`)),
            parentId: against ?? null,
          },
        ]
      : [],
  );
  if (transactions.length === 0) return undefined;
  const items = r.refund_line_items
    .filter((li) => li.quantity > 0)
    .map((li, j) => {
      // `subtotal` is a JSON number (199.0); its `subtotal_set` holds the exact decimal string, read first.
      const subtotal =
        li.subtotal_set?.shop_money.amount ??
        (li.subtotal === null || li.subtotal === undefined ? undefined : String(li.subtotal));
      const field = li.subtotal_set
        ? `refund_line_items.${j}.subtotal_set.shop_money.amount`
        : `refund_line_items.${j}.subtotal`;
      return {
        lineId: lineIdOf(placedAt, li.line_item_id),
        quantity: li.quantity,
        amount: subtotal ? minorUnits(subtotal, currency, at(field)) : 0,
      };
    });
  // Adjustments are negative: the shipping given back is their size.
  const shippingAmount = sumMinor(
    r.order_adjustments.map((a, j) =>
      a.kind === 'shipping_refund'
        ? minorUnits(a.amount.replace(/^-/, ''), currency, at(`order_adjustments.${j}.amount`))
        : 0,
    ),
  );
  return {
    id: derivedId('refund', ms(createdAt), `shopify:refund:${r.id}`),
    createdAt,
    reason: cutText(r.note?.trim() || SHOPIFY, TEXT_LIMITS.line),
    shippingAmount,
    items,
    transactions,
    channelRef: shopifyGid('Refund', r.id),
    ownRefundId: refundIdOfNote(r.note),
  };
}

/** The refund with its transactions against `capture`: the payment they return, known once the order's payments are. */
export function againstCapture(r: ChannelRefund, capture: string | undefined): ChannelRefund {
  return { ...r, transactions: r.transactions.map((t) => ({ ...t, parentId: capture ?? null })) };
}

/** What sopdesk already has of an order's payments, as far as `inferredPayments` needs to know. */
export interface PaymentsHeld {
  /** The id of a successful authorization, if any. */
  authorizationId: string | undefined;
  /** Whether money was captured (a successful capture or sale). */
  captured: boolean;
  /** Whether an authorization was voided. */
  voided: boolean;
}

/**
 * An order webhook carries no payment transactions, only Shopify's `financial_status`. That status is never stored
 * (sopdesk derives its own from transactions); it only says which transactions to infer, each once per order:
 *   authorized                     → an authorization of the total
 *   paid, partially_refunded, refunded → the total captured: a capture of the authorization when sopdesk holds one,
 *                                    else a sale (the refunds themselves come from the order's `refunds`, `refundOf`)
 *   voided                         → a void of the authorization (an authorization first, if none was seen)
 *   pending, partially_paid, unpaid → nothing (the amount paid so far is not in the payload)
 * A status older than what sopdesk holds adds nothing: no authorization once captured, no void after a capture.
 */
export function inferredPayments(
  o: Pick<ShopifyOrder, 'id' | 'financial_status' | 'created_at' | 'updated_at'>,
  total: number,
  held: PaymentsHeld,
): (TransactionInput & { id: string })[] {
  // Ids take the order's creation time (stable across webhooks); a capture, sale or void happened when Shopify said so.
  const at = o.created_at;
  const seen = o.updated_at;
  const authorization = (): TransactionInput & { id: string } => ({
    id: inferredIdOf(at, o.id, 'authorization'),
    kind: 'authorization',
    status: 'success',
    amount: total,
    processedAt: at,
  });
  switch (o.financial_status) {
    case 'authorized':
      return held.authorizationId || held.captured || held.voided ? [] : [authorization()];
    case 'paid':
    case 'partially_refunded':
    case 'refunded':
      if (held.captured) return [];
      return held.authorizationId
        ? [
            {
              id: inferredIdOf(at, o.id, 'capture'),
              kind: 'capture',
              status: 'success',
              amount: total,
              parentId: held.authorizationId,
              processedAt: seen,
            },
          ]
        : [{ id: inferredIdOf(at, o.id, 'sale'), kind: 'sale', status: 'success', amount: total, processedAt: seen }];
    case 'voided': {
      if (held.captured || held.voided) return [];
      const auth = held.authorizationId ? undefined : authorization();
      const parentId = held.authorizationId ?? auth!.id;
      return [
        ...(auth ? [auth] : []),
        {
          id: inferredIdOf(at, o.id, 'void'),
          kind: 'void',
          status: 'success',
          amount: total,
          parentId,
          processedAt: seen,
        },
      ];
    }
    default:
      return [];
  }
}

/** One product per Shopify product among the lines, holding the variants the lines name; for SKUs sopdesk does not know yet. */
export function productsOfLines(
  o: ShopifyOrder,
  lines: readonly { sku: string; unitPrice: number; shopify: ShopifyLineItem }[],
): ProductInput[] {
  const byProduct = new Map<string, ProductInput>();
  for (const l of lines) {
    const key = l.shopify.product_id ?? `sku:${l.sku}`;
    const id = l.shopify.product_id ? { id: productIdOf(l.shopify.product_id) } : {};
    const product = byProduct.get(key) ?? {
      ...id,
      title: l.shopify.title,
      kind: 'physical',
      returnable: true,
      variants: [],
    };
    if (!product.variants.some((v) => v.sku === l.sku)) {
      product.variants.push({
        sku: l.sku,
        title: l.shopify.variant_title?.trim() || 'Default',
        options: {},
        price: l.unitPrice,
        currency: o.currency,
        available: true,
      });
    }
    byProduct.set(key, product);
  }
  return [...byProduct.values()];
}

export interface MappedOrder {
  /**
   * Order input without its customer (found or created first) and without payments: those depend on what sopdesk
   * already holds (`inferredPayments`, `refundOf`). Lines and packages carry derived ids.
   */
  input: Omit<OrderInput, 'customerId'> & {
    lines: (OrderInput['lines'][number] & { id: string })[];
    packages: ShopifyPackage[];
  };
  /** The refunds that moved money, their transactions not yet against a payment (`parentId` null: see `againstCapture`). */
  refunds: ChannelRefund[];
  /** Products for the lines' SKUs, to create those sopdesk does not know. */
  products: ProductInput[];
  /** The order total as sopdesk derives it from the mapped parts, in minor units. */
  total: number;
}

/**
 * A Shopify order as sopdesk facts. Prices, discounts, shipping and tax are parsed from their decimal strings; the
 * order-level discount is `total_discounts` less what the lines carry (Shopify's total counts both). When prices
 * include tax (`taxes_included`), the tax is already in them and is not added again.
 */
export function orderOf(o: ShopifyOrder): MappedOrder {
  const cur = o.currency;
  const all = o.line_items.map((li, i) => {
    const unitPrice = minorUnits(li.price, cur, `line_items.${i}.price`);
    const discount = li.total_discount ? minorUnits(li.total_discount, cur, `line_items.${i}.total_discount`) : 0;
    if (discount > unitPrice * li.quantity)
      throw invalid(`line_items.${i}.total_discount`, 'is larger than the line amount');
    const sku = skuOf(li);
    const quantity = editedQuantity(o, li);
    // A line an edit took units from keeps its discount only up to what is left of it.
    return {
      id: lineIdOf(o.created_at, li.id),
      externalRef: li.id,
      sku,
      title: lineTitle(li.title, li.variant_title ?? ''),
      quantity,
      unitPrice,
      discount: Math.min(discount, unitPrice * quantity),
      shopify: li,
    };
  });
  // A line an order edit removed (nothing left, nothing refunded) is not part of the order.
  const lines = all.some((l) => l.quantity > 0)
    ? all.filter((l) => l.quantity > 0)
    : all.map((l) => ({ ...l, quantity: l.shopify.quantity }));
  const subtotal = sumMinor(lines.map((l) => l.unitPrice * l.quantity - l.discount));
  // A shipping discount (a free-shipping code) lowers the line's `discounted_price` and is counted in `total_discounts`:
  // the fee is what the customer pays for shipping (so a shipping refund gives back no more), and the discount is not
  // counted again on the items.
  const shipping = o.shipping_lines.map((s, i) => {
    const price = minorUnits(s.price, cur, `shipping_lines.${i}.price`);
    const paid = s.discounted_price
      ? minorUnits(s.discounted_price, cur, `shipping_lines.${i}.discounted_price`)
      : price;
    if (paid > price) throw invalid(`shipping_lines.${i}.discounted_price`, 'is larger than the price');
    return { price, paid };
  });
  const shippingFee = sumMinor(shipping.map((s) => s.paid));
  const totalDiscounts = o.total_discounts ? minorUnits(o.total_discounts, cur, 'total_discounts') : 0;
  const discount = Math.max(
    0,
    totalDiscounts - sumMinor(lines.map((l) => l.discount)) - sumMinor(shipping.map((s) => s.price - s.paid)),
  );
  if (discount > subtotal) throw invalid('total_discounts', 'is larger than the order subtotal');
  const tax = o.total_tax && !o.taxes_included ? minorUnits(o.total_tax, cur, 'total_tax') : 0;
  const address = addressOf(o.shipping_address);
  const packages = o.fulfillments.map((f) => packageOf(f, o.created_at));
  return {
    input: {
      // Shopify's number when sopdesk has it free, so "#1001" means the same order in both; the caller checks.
      ...(o.order_number ? { number: o.order_number } : {}),
      channel: SHOPIFY,
      externalRef: o.id,
      // The shop's own name ("#1166X01" for order_number 1166) is what the customer quotes: kept whenever "#<number>"
      // would not say it (syncOrder drops it when sopdesk gets Shopify's number and the name is just that).
      channelName: o.name.trim(),
      test: o.test === true,
      currency: cur,
      placedAt: o.created_at,
      ...(address ? { shippingAddress: address } : {}),
      shippingFee,
      discount,
      tax,
      ...(o.note?.trim() ? { note: o.note.trim() } : {}),
      ...(typeof o.tags === 'string' ? { tags: o.tags } : {}),
      ...(o.cancelled_at ? { canceledAt: o.cancelled_at, cancelReason: cancelReasonOf(o) } : {}),
      lines: lines.map(({ shopify: _s, ...l }) => l),
      transactions: [],
      packages,
      accessCodes: [],
    },
    refunds: o.refunds.flatMap((r, i) => refundOf(r, cur, o.created_at, undefined, `refunds.${i}`) ?? []),
    products: productsOfLines(o, lines),
    total: subtotal - discount + shippingFee + tax,
  };
}

/** What Shopify calls the one variant of a product without options; also given to a variant sent with an empty title. */
const DEFAULT_VARIANT_TITLE = 'Default Title';

/**
 * The units of a line as sopdesk keeps them: Shopify's `current_quantity` (what is left after order edits and refunds
 * removed units) plus the units refunded (sopdesk keeps refunded units on the line, beside the refund). A payload
 * without `current_quantity` (older API versions) says nothing of edits, and a canceled order's lines lost their units
 * to the cancellation, not to an edit: the ordered quantity.
 */
export function editedQuantity(
  o: Pick<ShopifyOrder, 'refunds' | 'cancelled_at'>,
  li: Pick<ShopifyLineItem, 'id' | 'quantity' | 'current_quantity'>,
): number {
  if (li.current_quantity === null || li.current_quantity === undefined || o.cancelled_at) return li.quantity;
  const refunded = o.refunds
    .flatMap((r) => r.refund_line_items)
    .filter((r) => r.line_item_id === li.id)
    .reduce((n, r) => n + r.quantity, 0);
  return li.current_quantity + refunded;
}

/**
 * How the order in the payload differs from the one sopdesk holds in what an order edit changes: lines added, lines
 * whose units changed, lines removed, and the shipping address (a complete one). Undefined when nothing differs.
 */
export function editOf(
  o: ShopifyOrder,
  mapped: MappedOrder,
  held: { lines: readonly { id: string; quantity: number }[]; shippingAddress: AddressInput | null },
): ChannelOrderEdit | undefined {
  const lines: readonly (OrderInput['lines'][number] & { id: string })[] = mapped.input.lines;
  const add = lines
    .filter((l) => !held.lines.some((h) => h.id === l.id))
    .map((l) => ({
      id: l.id,
      sku: l.sku,
      title: l.title ?? l.sku,
      quantity: l.quantity,
      unitPrice: l.unitPrice ?? 0,
      discount: l.discount,
      externalRef: l.externalRef ?? '',
    }));
  const quantities = lines.flatMap((l) => {
    const h = held.lines.find((x) => x.id === l.id);
    return h && h.quantity !== l.quantity ? [{ lineId: l.id, quantity: l.quantity }] : [];
  });
  const remove = o.line_items
    .map((li) => lineIdOf(o.created_at, li.id))
    .filter((id) => held.lines.some((h) => h.id === id) && !lines.some((l) => l.id === id));
  const address = mapped.input.shippingAddress;
  const sameAddress =
    !address || JSON.stringify(addressKey(address)) === JSON.stringify(addressKey(held.shippingAddress));
  if (!add.length && !quantities.length && !remove.length && sameAddress) return undefined;
  return {
    channelUpdatedAt: o.updated_at,
    add,
    quantities,
    remove,
    ...(sameAddress ? {} : { shippingAddress: address }),
  };
}

/** A Shopify product as a sopdesk product in the shop's currency (product payloads carry prices without one). */
export function productOf(p: ShopifyProduct, currency: string): ProductInput {
  return {
    id: productIdOf(p.id),
    title: p.title,
    ...(p.product_type?.trim() ? { category: p.product_type.trim() } : {}),
    kind: 'physical',
    returnable: true,
    variants: p.variants.map((v, i) => ({
      sku: skuOf({ sku: v.sku, variant_id: v.id, id: v.id }),
      title: v.title.trim() || DEFAULT_VARIANT_TITLE,
      options: {},
      price: minorUnits(v.price, currency, `variants.${i}.price`),
      currency,
      available: true,
      ...(v.inventory_quantity !== null && v.inventory_quantity !== undefined
        ? { inventoryQuantity: v.inventory_quantity }
        : {}),
    })),
    ...(p.created_at ? { createdAt: p.created_at } : {}),
  };
}

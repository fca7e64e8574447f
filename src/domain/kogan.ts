/**
 * Kogan's own rules for orders of channel `kogan` (the Kogan procedure, Kogan Marketplace API v2), pure:
 * - a shipped line is refunded whole (its whole quantity: item amount plus shipping) — Kogan has no partial refund;
 * - a refund is made in the seller portal, whose order search covers the last 30 days: older orders are refused;
 * - a cancel is only for orders not shipped yet (`ReleasedForShipment`);
 * - Kogan takes a reason from its own lists, mapped here from sopdesk's.
 * The port (`KoganPort`) has only the calls sopdesk makes; src/connectors/kogan/ implements it.
 */
import { DAY_MS } from '../kernel/clock.js';
import { invalid, notEligible } from '../kernel/errors.js';
import { formatMoney, sumMinor } from '../kernel/money.js';
import type { CancelReason } from './cancel-rules.js';
import type { ReturnReason } from './return-rules.js';

export const KOGAN_CHANNEL = 'kogan';

/** The seller portal's order search reaches back this many days (the Kogan procedure widens it from 7 to 30). */
export const KOGAN_REFUND_WINDOW_DAYS = 30;

export const KOGAN_POLICY = {
  kogan_whole_line_only:
    'Kogan refunds a line only whole: its whole quantity, and the customer gets the item amount plus shipping. There is no partial refund of a line, no refund of part of an amount and no separate shipping refund.',
  kogan_refund_window: `A Kogan order is refunded in the seller portal, whose search covers the last ${KOGAN_REFUND_WINDOW_DAYS} days; an older order is refused and handed to Kogan seller support.`,
  kogan_order_shipped:
    'Kogan cancels only orders not shipped yet (ReleasedForShipment); a shipped line is refunded instead, once it comes back.',
} as const;

/** Kogan's cancel reasons (POST /orders/{ref}/cancel/). */
export const KOGAN_CANCEL_REASONS = [
  'GeneralAdjustment',
  'ItemNotAvailable',
  'CustomerReturnedItem',
  'CouldNotShip',
  'AlternateItemProvided',
  'BuyerCanceled',
  'CustomerExchange',
  'MerchandiseNotReceived',
  'ShippingAddressUndeliverable',
  'Other',
] as const;
export type KoganCancelReason = (typeof KOGAN_CANCEL_REASONS)[number];

/** Kogan's refund reasons (POST /orders/{ref}/refund/). */
export const KOGAN_REFUND_REASONS = [
  'Change of Mind',
  'Dead Arrival',
  'Failed Cancel',
  'Listing Error',
  'Part Problem',
  'Return Sender',
  'Wrong Goods',
  'Faulty Item',
  'Damage In Transit',
  'Faulty Part',
] as const;
export type KoganRefundReason = (typeof KOGAN_REFUND_REASONS)[number];

/** sopdesk's cancel reasons (Shopify's list) on Kogan's. */
export const KOGAN_CANCEL_REASON: Record<CancelReason, KoganCancelReason> = {
  customer: 'BuyerCanceled',
  inventory: 'ItemNotAvailable',
  fraud: 'Other',
  declined: 'Other',
  staff: 'GeneralAdjustment',
  other: 'Other',
};

/** A return's reason on Kogan's refund reasons. */
export const KOGAN_RETURN_REFUND_REASON: Record<ReturnReason, KoganRefundReason> = {
  DAMAGED: 'Damage In Transit',
  DEFECTIVE: 'Faulty Item',
  WRONG_ITEM: 'Wrong Goods',
  ORDERED_BY_MISTAKE: 'Change of Mind',
  OTHER: 'Change of Mind',
};

/** Words of a refund's free-text reason, in order, on Kogan's refund reasons; the first that matches wins. */
const REASON_WORDS: [RegExp, KoganRefundReason][] = [
  [/dead on arrival|\bdoa\b|dead arrival/i, 'Dead Arrival'],
  [/failed cancel|cancel/i, 'Failed Cancel'],
  [/listing|price error|wrong price/i, 'Listing Error'],
  [/faulty part|missing part/i, 'Faulty Part'],
  [/part/i, 'Part Problem'],
  [/transit|damag|broken/i, 'Damage In Transit'],
  [/faulty|defect|not working/i, 'Faulty Item'],
  [/wrong/i, 'Wrong Goods'],
  [/return(ed)? to sender|undeliver|not (arrived|received|delivered)|lost/i, 'Return Sender'],
];

/**
 * The Kogan refund reason of a sopdesk refund: a return's reason when it refunds a return, else the first of Kogan's
 * reasons its text names (by the words above), else Change of Mind.
 */
export function koganRefundReason(reason: string, returnReason?: ReturnReason | null): KoganRefundReason {
  if (returnReason) return KOGAN_RETURN_REFUND_REASON[returnReason];
  const exact = KOGAN_REFUND_REASONS.find((r) => r.toLowerCase() === reason.trim().toLowerCase());
  if (exact) return exact;
  return REASON_WORDS.find(([re]) => re.test(reason))?.[1] ?? 'Change of Mind';
}

export interface KoganRefundFacts {
  orderName: string;
  placedAt: string;
  now: Date;
  /** Every line refunded: its quantity on the order, units refunded before, units this refund takes. */
  lines: { itemId: string; sku: string; quantity: number; refunded: number; refunding: number; path: string }[];
  /** An amount the agent asked for (less than the full value), or a shipping amount named apart. */
  partialAmount: boolean;
  shippingNamed: boolean;
}

/** Kogan's refund rules on a refund of a Kogan order; throws the first that says no. */
export function checkKoganRefund(f: KoganRefundFacts): void {
  const age = f.now.getTime() - Date.parse(f.placedAt);
  if (age > KOGAN_REFUND_WINDOW_DAYS * DAY_MS) {
    const days = Math.floor(age / DAY_MS);
    throw notEligible(
      'kogan_refund_window',
      `Kogan order ${f.orderName} was placed ${days} days ago; the seller portal refunds orders of the last ${KOGAN_REFUND_WINDOW_DAYS} days only. Hand it to a person to take up with Kogan seller support.`,
      KOGAN_POLICY.kogan_refund_window,
      { placedAt: f.placedAt, ageDays: days, windowDays: KOGAN_REFUND_WINDOW_DAYS },
    );
  }
  for (const l of f.lines) {
    if (l.refunded > 0 || l.refunding !== l.quantity) {
      throw notEligible(
        'kogan_whole_line_only',
        `Kogan refunds ${l.sku} only whole: all ${l.quantity} unit(s) at once${l.refunded ? `, and ${l.refunded} are already refunded` : ''}; ${l.refunding} were asked.`,
        KOGAN_POLICY.kogan_whole_line_only,
        { itemId: l.itemId, path: l.path, quantity: l.quantity, refundedQuantity: l.refunded },
      );
    }
  }
  if (f.partialAmount || f.shippingNamed) {
    throw notEligible(
      'kogan_whole_line_only',
      f.partialAmount
        ? `Kogan refunds whole lines only; leave amount out on Kogan order ${f.orderName}.`
        : `Kogan refunds shipping with the lines; leave shippingAmount out on Kogan order ${f.orderName}.`,
      KOGAN_POLICY.kogan_whole_line_only,
    );
  }
}

/** Kogan cancels only an order with nothing shipped. */
export function checkKoganCancel(orderName: string, anyShipped: boolean): void {
  if (anyShipped) {
    throw notEligible(
      'kogan_order_shipped',
      `Kogan order ${orderName} has shipped, so Kogan cannot cancel it; refund the lines once they are back (a return).`,
      KOGAN_POLICY.kogan_order_shipped,
    );
  }
}

/** An order as Kogan lists it (GET /orders/, GET /orders/{ref}/): the fields sopdesk reads; money in minor units. */
export interface KoganOrder {
  /** Kogan's order reference (the `ESG-…` the procedure copies), the order's external ref in sopdesk. */
  ref: string;
  status: string;
  placedAt: string;
  currency: string;
  /** `TotalPrice` and `TotalShippingPrice`, minor units (what they hold: koganOrderAmounts). */
  total: number;
  shipping: number;
  /**
   * `TotalOrderDiscount` and `TotalShippingDiscount`, minor units, by their size (a discount written as a negative
   * number is the same discount); 0 when Kogan leaves them out.
   */
  orderDiscount: number;
  shippingDiscount: number;
  buyer: { email: string | null; firstName: string; lastName: string; phone: string | null };
  shippingAddress: {
    name: string;
    line1: string;
    line2: string | null;
    city: string;
    region: string | null;
    zip: string;
    country: string;
  } | null;
  /** Kogan's order lines: its line id (`OrderItemID`), the seller's SKU, quantity, unit price (minor units). */
  items: { id: string; sku: string; quantity: number; unitPrice: number }[];
}

/** A Kogan order's money in sopdesk's order model, minor units: lines − discount + shippingFee + tax = paid. */
export interface KoganOrderAmounts {
  /** What the buyer paid for shipping: `TotalShippingPrice` less `TotalShippingDiscount` (a refund gives back no more). */
  shippingFee: number;
  /**
   * The order-level discount on the items: `TotalOrderDiscount`, plus any shipping discount above the shipping price and
   * whatever the lines, after discounts, come to above what was paid.
   */
  discount: number;
  /** What was paid above the discounted lines and shipping, kept as tax (Kogan's prices hold their GST: normally 0). */
  tax: number;
  /** What the buyer paid Kogan: the order's sale, so the most its refunds together give back. */
  paid: number;
  /** How `TotalPrice` was read: what the buyer paid (after the discounts), or the price before them. */
  totalPrice: 'after_discounts' | 'before_discounts';
}

/**
 * What a Kogan order's buyer paid, and how it splits into sopdesk's lines, discount, shipping fee and tax. Kogan does not
 * document whether `TotalPrice` is before or after `TotalOrderDiscount` and `TotalShippingDiscount`; it is read as what
 * the buyer paid (after them), unless it is exactly the lines plus shipping while there is a discount — the price before
 * the discounts, so the buyer paid it less the discounts. Throws when the discounts (or a total below the shipping) leave
 * less than nothing for the items.
 */
export function koganOrderAmounts(
  o: Pick<KoganOrder, 'ref' | 'currency' | 'total' | 'shipping' | 'orderDiscount' | 'shippingDiscount' | 'items'>,
): KoganOrderAmounts {
  const items = sumMinor(o.items.map((i) => i.unitPrice * i.quantity));
  const discounts = o.orderDiscount + o.shippingDiscount;
  const shippingFee = Math.max(0, o.shipping - o.shippingDiscount);
  const itemsDiscount = o.orderDiscount + Math.max(0, o.shippingDiscount - o.shipping);
  const beforeDiscounts = discounts > 0 && o.total === items + o.shipping;
  const paid = beforeDiscounts ? o.total - discounts : o.total;
  const charged = items - itemsDiscount + shippingFee;
  const discount = itemsDiscount + Math.max(0, charged - paid);
  if (discount > items) {
    const m = (v: number) => formatMoney(v, o.currency);
    throw invalid(
      'TotalPrice',
      `Kogan order ${o.ref} does not add up: items ${m(items)}, shipping ${m(o.shipping)}, discounts ${m(discounts)} and TotalPrice ${m(o.total)} leave less than nothing for the items.`,
    );
  }
  return {
    shippingFee,
    discount,
    tax: Math.max(0, paid - charged),
    paid,
    totalPrice: beforeDiscounts ? 'before_discounts' : 'after_discounts',
  };
}

/**
 * Kogan's carrier codes for a dispatch's `ShippingCarrier` ("the carrier company of the shipment", one of the values
 * Kogan lists on its seller help centre, "Supported Carrier Codes"; e.g. Australia Post is `AUP`), by the carrier
 * names a warehouse or carrier writes. The list is the one public Kogan integrations send; Kogan's own page was not
 * readable here, so a carrier not on it is sent as written and Kogan's refusal goes to a person.
 */
const KOGAN_CARRIERS: [code: string, names: string[]][] = [
  ['AUP', ['australia post', 'auspost', 'aus post', 'eparcel', 'mypost business']],
  ['ST', ['startrack', 'star track']],
  ['TIPC', ['toll ipec', 'tollipec']],
  ['DHL', ['dhl', 'dhl express']],
  ['FDX', ['fedex', 'fed ex']],
  ['UPS', ['ups']],
  ['CP', ['couriers please', 'couriersplease']],
  ['DFE', ['direct freight express', 'direct freight']],
  ['ARAMEX', ['aramex']],
  ['FW', ['fastway']],
  ['KINGS', ['kings transport', 'kings']],
  ['HX', ['hunter express']],
  ['NZP', ['new zealand post', 'nz post', 'nzpost']],
  ['XLE', ['xl express']],
  ['TNT', ['tnt', 'tnt express']],
  ['R', ['allied express', 'allied']],
  ['BEX', ['border express']],
  ['BLUESTAR', ['blue star logistics', 'bluestar', 'blue star']],
  ['NTH', ['northline']],
  ['ADSONE', ['adsone']],
  ['SENDLE', ['sendle']],
  ['COPE', ['cope sensitive freight', 'cope']],
  ['BPOST', ['bpost']],
  ['SHIPPIT', ['shippit']],
  ['MEGASAVE', ['megasave']],
  ['QLSSTD', ['qls standard']],
  ['QLSPRE', ['qls premium']],
  ['OMNI', ['omni parcel', 'omniparcel']],
];
export const KOGAN_CARRIER_CODES: readonly string[] = KOGAN_CARRIERS.map(([code]) => code);

/** The Kogan carrier code of a package's carrier: a code as it is, a known name as its code, else the text as written. */
export function koganCarrierCode(carrier: string): string {
  const text = carrier.trim();
  const key = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const code = KOGAN_CARRIERS.find(([c, names]) => c.toLowerCase() === key || names.includes(key))?.[0];
  return code ?? text;
}

/** A dispatch reported to Kogan (POST /orders/fulfill/): one tracking number per line. */
export interface KoganDispatch {
  koganOrderRef: string;
  items: {
    orderItemId: string;
    sellerSku: string;
    quantity: number;
    shippedDateUtc: string;
    carrier: string;
    trackingNumber: string;
  }[];
}

export interface KoganCancel {
  koganOrderRef: string;
  reason: KoganCancelReason;
  items: { orderItemId: string; sellerSku: string; quantity: number }[];
}

export interface KoganRefund {
  koganOrderRef: string;
  reason: KoganRefundReason;
  /** Whole lines only (Kogan refunds each line's whole quantity). */
  items: { orderItemId: string; sellerSku: string; quantity: number }[];
}

export interface KoganPort {
  /**
   * Every open order (Get Orders with `status=ReleasedForShipment` and no `limit`): Kogan answers them all in one list
   * and documents no paging.
   */
  listOrders(): Promise<KoganOrder[]>;
  getOrder(ref: string): Promise<KoganOrder | undefined>;
  fulfill(dispatch: KoganDispatch): Promise<void>;
  cancel(cancel: KoganCancel): Promise<void>;
  refund(refund: KoganRefund): Promise<void>;
}

/** Kogan refused the request (HTTP 400 / 404 / 409 with its error): asking again will not help; a person must look. */
export class KoganRejected extends Error {
  override readonly name = 'KoganRejected';
}

/** Kogan asked to be called later (HTTP 429, or 503 with Retry-After); uses up no attempt. */
export class KoganThrottled extends Error {
  override readonly name = 'KoganThrottled';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/**
 * The Shopify order rules: "send confirmation of refund/cancellation". For each confirmation event the outbox delivers, this
 * writes an outbound message from the event's template on the customer's latest conversation (or a new one).
 * The message is then sent like any reply (deliver-message.ts). One message per event: re-running is a no-op.
 */
import { findConfirmationFacts, lockConversation } from '../../db/repo/inbox.js';
import { DEFAULT_TEMPLATES, renderTemplate, type PlaceholderValues, type TemplateKey } from '../../domain/templates.js';
import { formatMoney } from '../../kernel/money.js';
import { marketplaceOf } from '../../domain/marketplace.js';
import type { WriteScope } from '../write.js';
import { addMessage } from '../inbox/conversation-writes.js';
import { insertConversation } from '../inbox/create-conversation.js';
import { placeholderValuesOf } from '../inbox/placeholder-values.js';

export interface OutboxEvent {
  eventId: string;
  customerId: string | null;
  orderId: string | null;
  data: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);
const first = <T>(...vs: (T | undefined)[]): T | undefined => vs.find((v) => v !== undefined);
const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const DESTINATION_TEXT: Record<string, string> = {
  original_payment: 'your original payment method',
  store_credit: 'your store credit',
  gift_card: 'your gift card',
};

/** When refunded money can be used: a card or PayPal refund takes the bank's days, a balance is credited at once. */
const ARRIVAL_TEXT: Record<string, { sentence: string; clause: string }> = {
  original_payment: {
    sentence: 'It goes back to your original payment method and can take a few days to appear.',
    clause: 'it can take a few days to appear',
  },
  store_credit: {
    sentence: 'It has been added to your store credit, ready to use now.',
    clause: 'it is ready to use now',
  },
  gift_card: { sentence: 'It has been added to your gift card, ready to use now.', clause: 'it is ready to use now' },
};

/**
 * A marketplace order's refund: the marketplace took the money and gives it back, so the customer is told what the
 * marketplace will do, never of a card or balance of the store's own.
 */
function marketplaceText(name: string): {
  destination: string;
  sentence: string;
  clause: string;
  made: string;
} {
  return {
    destination: `the payment you made on ${name}`,
    sentence: `${name} pays it back to the payment you made on ${name} and sends you a notice; it can take a few days to appear.`,
    clause: `${name} pays it back to the payment you made on ${name}, and it can take a few days to appear`,
    made: `${name} will refund`,
  };
}

/** "1 × Mug, 2 × Tee and shipping": what a refund covers, however it is made up. */
function listing(parts: string[], shipping: boolean): string | undefined {
  if (parts.length === 0) return shipping ? 'shipping' : undefined;
  return shipping ? `${parts.join(', ')} and shipping` : parts.join(', ');
}

/**
 * The event's own values, read by the field names the action events use (amounts in minor units):
 * amount | refundAmount | refundedAmount | total, shippingAmount, currency, reason, items [{ itemId | lineId, quantity,
 * title? }], returnId, trackingId | returnTrackingId, from/to product titles, an exchange's items and price difference.
 * Every value is a whole phrase or sentence for the shape the action had (items, shipping or both; the original
 * payment method, store credit or a gift card; an exchange or a replacement), so one template reads right for each.
 */
function eventValues(
  e: OutboxEvent,
  order: { currency: string; channel?: string; lines: { id: string; title: string }[] } | undefined,
): PlaceholderValues {
  const d = e.data;
  const channel = first(str(d.marketplace), order?.channel) ?? '';
  const v: PlaceholderValues = {};
  const amount = first(
    num(d.amount),
    num(d.refundAmount),
    num(d.refundedAmount),
    num(d.total),
    num(rec(d.refund).amount),
  );
  const currency = first(str(d.currency), order?.currency);
  if (amount !== undefined && currency) v.amount = formatMoney(amount, currency);
  const destinationKey = first(str(d.destination), str(d.refundDestination)) ?? 'original_payment';
  const market = destinationKey === 'marketplace' || marketplaceOf(channel) ? marketplaceOf(channel) : undefined;
  const m = market ? marketplaceText(market.name) : undefined;
  const destination = m?.destination ?? DESTINATION_TEXT[destinationKey] ?? DESTINATION_TEXT.original_payment!;
  const arrival = m ?? ARRIVAL_TEXT[destinationKey] ?? ARRIVAL_TEXT.original_payment!;
  v['refund.destination'] = destination;
  v['refund.arrival'] = arrival.sentence;
  v['refund.made'] = m?.made ?? 'We have refunded';
  // A cancellation: refunded, never charged, or (a paid order canceled without a refund) nothing to say about money.
  v['refund.summary'] =
    amount && v.amount
      ? m
        ? `${m.made} ${v.amount}; ${m.clause}.`
        : `We have refunded ${v.amount} to ${destination}; ${arrival.clause}.`
      : num(d.capturedAmount) === 0
        ? 'You were not charged for it, so there is nothing to refund.'
        : '';
  const shipping = num(d.shippingAmount);
  if (shipping !== undefined) {
    v['refund.shippingNote'] =
      shipping > 0 && currency
        ? `This includes ${formatMoney(shipping, currency)} for shipping.`
        : 'Shipping fees are not refunded unless we told you otherwise.';
  }
  const reason = str(d.reason);
  if (reason) v.reason = reason.toLowerCase().replace(/_/g, ' ');
  const titleOf = (it: Record<string, unknown>) => {
    const lineId = first(str(it.itemId), str(it.lineId));
    return first(str(it.title), order?.lines.find((l) => l.id === lineId)?.title) ?? 'item';
  };
  const parts = Array.isArray(d.items)
    ? d.items.map((raw) => `${num(rec(raw).quantity) ?? 1} × ${titleOf(rec(raw))}`)
    : [];
  const covered = listing(parts, (shipping ?? 0) > 0);
  if (covered) v.items = covered;
  const returnId = str(d.returnId);
  if (returnId) v['return.id'] = returnId;
  const tracking = first(str(d.trackingId), str(d.returnTrackingId), str(d.trackingNumber), returnId);
  if (tracking) v['return.trackingId'] = tracking;
  // product.swapped keeps the line as it was and as it is (`before` / `after`).
  const from = first(
    str(rec(d.before).title),
    str(d.fromTitle),
    str(rec(d.from).title),
    str(d.fromProductTitle),
    str(d.fromSku),
  );
  const to = first(str(rec(d.after).title), str(d.toTitle), str(rec(d.to).title), str(d.toProductTitle), str(d.toSku));
  if (from) v['product.from'] = from;
  if (to) v['product.to'] = to;
  if (str(d.exchangeId) && Array.isArray(d.items)) Object.assign(v, exchangeValues(d, titleOf, currency));
  return v;
}

const REPLACED_BECAUSE: Record<string, string> = { DAMAGED: 'arrived damaged', DEFECTIVE: 'is defective' };

/** exchange.requested: what is exchanged or replaced, what the difference did, and what happens next. */
function exchangeValues(
  d: Record<string, unknown>,
  titleOf: (it: Record<string, unknown>) => string,
  currency: string | undefined,
): PlaceholderValues {
  const items = (d.items as unknown[]).map(rec);
  const replaced = items.filter(
    (it) => it.replacement === true || (str(it.fromSku) !== undefined && it.fromSku === it.toSku),
  );
  const exchanged = items.filter((it) => !replaced.includes(it));
  const because = REPLACED_BECAUSE[str(d.replacementReason) ?? ''] ?? 'arrived damaged or is defective';
  const sentences: string[] = [];
  if (exchanged.length) {
    sentences.push(
      `We are exchanging ${exchanged.map((it) => `${num(it.quantity) ?? 1} × ${titleOf(it)} for ${first(str(it.toTitle), str(it.toSku))}`).join(', ')}.`,
    );
  }
  if (replaced.length) {
    const what = replaced.map((it) => `${num(it.quantity) ?? 1} × ${titleOf(it)}`).join(', ');
    sentences.push(`We are sending you a new ${what} to replace the one that ${because}.`);
  }
  const diff = num(d.priceDifference) ?? 0;
  const on = str(d.paymentMethodLabel) ?? 'your payment method';
  const money =
    diff > 0 && currency
      ? `The new item costs ${formatMoney(diff, currency)} more, which we have charged to ${on}.`
      : diff < 0 && currency
        ? `The new item costs ${formatMoney(-diff, currency)} less, which we have refunded to ${on}.`
        : exchanged.length
          ? 'There is no price difference to pay.'
          : 'There is nothing to pay.';
  const next = replaced.length
    ? 'We will ship the replacement once the exchange is processed. The damaged or defective item comes back to us through a return at no cost to you; we will tell you how to send it.'
    : 'We will ship the new item once the exchange is processed, and tell you how to send back the one you are exchanging.';
  return { 'exchange.summary': `${sentences.join(' ')} ${money}`, 'exchange.nextSteps': next };
}

export async function notifyCustomer(scope: WriteScope, key: TemplateKey, e: OutboxEvent): Promise<void> {
  if (!e.customerId) return;
  const facts = await findConfirmationFacts(scope.tx, {
    eventId: e.eventId,
    key,
    customerId: e.customerId,
    orderId: e.orderId,
  });
  if (facts.done) return;
  const template = facts.template ?? DEFAULT_TEMPLATES[key];
  const order = facts.order ?? undefined;
  const values = {
    ...placeholderValuesOf({ customer: facts.customer, orderNumber: order?.number }),
    ...eventValues(e, order),
  };
  const subject = renderTemplate(template.subject, values);
  const conv =
    (facts.conversationId && (await lockConversation(scope.tx, facts.conversationId))) ||
    (await insertConversation(scope, {
      customerId: e.customerId,
      channel: 'email',
      subject,
      priority: 'normal',
      tags: ['confirmation'],
      orderIds: e.orderId ? [e.orderId] : [],
    }));
  await addMessage(scope, conv, {
    kind: 'outbound',
    body: renderTemplate(template.body, values),
    subject,
    authorKind: 'system',
    authorName: 'sopdesk',
    delivery: 'queued',
    sourceEventId: e.eventId,
  });
}

/**
 * Seed 003: "send confirmation of refund/cancellation". For each confirmation event the outbox delivers, this
 * writes an outbound message from the event's template on the customer's latest conversation (or a new one).
 * The message is then sent like any reply (deliver-message.ts). One message per event: re-running is a no-op.
 */
import { findConfirmationFacts, lockConversation } from '../../db/repo/inbox.js';
import { DEFAULT_TEMPLATES, renderTemplate, type PlaceholderValues, type TemplateKey } from '../../domain/templates.js';
import { formatMoney } from '../../kernel/money.js';
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
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

const DESTINATION_TEXT: Record<string, string> = {
  original_payment: 'your original payment method', store_credit: 'your store credit', gift_card: 'your gift card',
};

/**
 * The event's own values, read by the field names the action events use (amounts in minor units):
 * amount | refundAmount | refundedAmount | total, currency, reason, items [{ itemId | lineId, quantity, title? }],
 * returnId, trackingId | returnTrackingId, from/to product titles.
 */
function eventValues(e: OutboxEvent, order: { currency: string; lines: { id: string; title: string }[] } | undefined): PlaceholderValues {
  const d = e.data;
  const v: PlaceholderValues = {};
  const amount = first(num(d.amount), num(d.refundAmount), num(d.refundedAmount), num(d.total), num(rec(d.refund).amount));
  const currency = first(str(d.currency), order?.currency);
  if (amount !== undefined && currency) v.amount = formatMoney(amount, currency);
  const destination = DESTINATION_TEXT[first(str(d.destination), str(d.refundDestination)) ?? 'original_payment'] ?? DESTINATION_TEXT.original_payment!;
  v['refund.destination'] = destination;
  // A cancellation: refunded, never charged, or (a paid order canceled without a refund) nothing to say about money.
  v['refund.summary'] = amount && v.amount ? `We have refunded ${v.amount} to ${destination}; it can take a few days to appear.`
    : num(d.capturedAmount) === 0 ? 'You were not charged for it, so there is nothing to refund.' : '';
  const reason = str(d.reason);
  if (reason) v.reason = reason.toLowerCase().replace(/_/g, ' ');
  if (Array.isArray(d.items) && order) {
    const parts = d.items.map((raw) => {
      const it = rec(raw);
      const lineId = first(str(it.itemId), str(it.lineId));
      const title = first(str(it.title), order.lines.find((l) => l.id === lineId)?.title) ?? 'item';
      return `${num(it.quantity) ?? 1} × ${title}`;
    });
    if (parts.length) v.items = parts.join(', ');
  }
  const returnId = str(d.returnId);
  if (returnId) v['return.id'] = returnId;
  const tracking = first(str(d.trackingId), str(d.returnTrackingId), str(d.trackingNumber), returnId);
  if (tracking) v['return.trackingId'] = tracking;
  // product.swapped keeps the line as it was and as it is (`before` / `after`).
  const from = first(str(rec(d.before).title), str(d.fromTitle), str(rec(d.from).title), str(d.fromProductTitle), str(d.fromSku));
  const to = first(str(rec(d.after).title), str(d.toTitle), str(rec(d.to).title), str(d.toProductTitle), str(d.toSku));
  if (from) v['product.from'] = from;
  if (to) v['product.to'] = to;
  return v;
}

export async function notifyCustomer(scope: WriteScope, key: TemplateKey, e: OutboxEvent): Promise<void> {
  if (!e.customerId) return;
  const facts = await findConfirmationFacts(scope.tx, { eventId: e.eventId, key, customerId: e.customerId, orderId: e.orderId });
  if (facts.done) return;
  const template = facts.template ?? DEFAULT_TEMPLATES[key];
  const order = facts.order ?? undefined;
  const values = { ...placeholderValuesOf({ customer: facts.customer, orderNumber: order?.number }), ...eventValues(e, order) };
  const subject = renderTemplate(template.subject, values);
  const conv = (facts.conversationId && (await lockConversation(scope.tx, facts.conversationId)))
    || (await insertConversation(scope, { customerId: e.customerId, channel: 'email', subject, priority: 'normal', tags: ['confirmation'], orderIds: e.orderId ? [e.orderId] : [] }));
  await addMessage(scope, conv, {
    kind: 'outbound', body: renderTemplate(template.body, values), subject, authorKind: 'system', authorName: 'sopdesk', delivery: 'queued', sourceEventId: e.eventId,
  });
}

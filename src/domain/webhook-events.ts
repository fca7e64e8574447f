/**
 * Outbound webhooks: which timeline events other systems can subscribe to, and the payload each is delivered with.
 * A webhook event is derived from a timeline event in one place (`webhookEventOf`, called for every event the write
 * pipeline records), so it is written in the same transaction as the change. docs/webhooks.md documents each type.
 */
import type { Actor, TimelineEvent } from './timeline.js';

/**
 * The event types a subscription may name, each with the version of its `data` (raised when a field is removed or
 * changes meaning; adding a field keeps the version).
 */
export const WEBHOOK_EVENT_VERSIONS = {
  'order.created': 1,
  'order.canceled': 1,
  'order.canceled_by_channel': 1,
  'order.edited_by_channel': 1,
  'order.address_changed': 1,
  'order.items_changed': 1,
  'order.payment_changed': 1,
  'fulfillment.created': 1,
  'shipment.status_changed': 1,
  'refund.issued': 1,
  'refund.issued_by_channel': 1,
  'return.requested': 1,
  'return.approved': 1,
  'return.declined': 1,
  'return.picked_up': 1,
  'return.received': 1,
  'return.refunded': 1,
  'return.canceled': 1,
  'exchange.requested': 1,
  'exchange.completed': 1,
  'exchange.canceled': 1,
  'conversation.created': 1,
  'conversation.status_changed': 1,
  'conversation.updated': 1,
  'conversation.assigned': 1,
  'message.received': 1,
  'message.sent': 1,
  'handoff.created': 1,
  'handoff.taken': 1,
  'handoff.resolved': 1,
  'sop.run_started': 1,
  'sop.step_completed': 1,
  'sop.run_finished': 1,
} as const satisfies Partial<Record<TimelineEvent['type'], number>>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_VERSIONS;

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_VERSIONS) as WebhookEventType[];

export const isWebhookEventType = (t: string): t is WebhookEventType => Object.hasOwn(WEBHOOK_EVENT_VERSIONS, t);

/** The body of a delivery: the Standard Webhooks envelope (`type`, `timestamp`, `data`) plus the data's version. */
export interface WebhookEvent {
  type: WebhookEventType;
  version: number;
  timestamp: string;
  data: Record<string, unknown> & {
    /** The timeline event's id, also sent as `webhook-id`: receivers deduplicate by it. */
    eventId: string;
    customerId: string | null;
    orderId: string | null;
    actor: { kind: Actor['kind']; id: string | null };
  };
}

/** The webhook event a timeline event becomes, or null for a type no one can subscribe to. */
export function webhookEventOf(eventId: string, event: TimelineEvent, actor: Actor, at: Date): WebhookEvent | null {
  if (!isWebhookEventType(event.type)) return null;
  return {
    type: event.type,
    version: WEBHOOK_EVENT_VERSIONS[event.type],
    timestamp: at.toISOString(),
    data: {
      ...(event.data as Record<string, unknown>),
      eventId,
      customerId: event.customerId,
      orderId: event.orderId ?? null,
      actor: { kind: actor.kind, id: actor.id ?? null },
    },
  };
}

/** Consecutive failed attempts after which a subscription is disabled (SOPDESK_WEBHOOK_DISABLE_AFTER). */
export const DEFAULT_DISABLE_AFTER = 20;

/** How long a receiver may take to answer, in ms (SOPDESK_WEBHOOK_TIMEOUT_MS). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

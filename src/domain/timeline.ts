/**
 * The activity timeline is a typed union of events with dotted names. Every accepted write records
 * exactly one event, in the same transaction as the change, beside an outbox row for delivery.
 */
export type ActorKind = 'human' | 'ai_agent' | 'system';

export interface Actor {
  kind: ActorKind;
  /** Token id, agent name or subsystem (`import`, `demo`, `shopify`). */
  id?: string | undefined;
}

export const SYSTEM: Actor = { kind: 'system' };

interface Event<T extends string, D> {
  type: T;
  customerId: string | null;
  orderId?: string | null | undefined;
  data: D;
}

export type TimelineEvent =
  | Event<'customer.created', { name: string; emails: string[] }>
  | Event<'customer.updated', { changed: string[] }>
  | Event<'product.created', { productId: string; title: string }>
  | Event<'product.updated', { productId: string; title: string }>
  | Event<'order.created', { number: number; channel: string; total: number; currency: string }>
  | Event<'payment.recorded', { transactionId: string; kind: string; status: string; amount: number; currency: string }>
  | Event<'fulfillment.created', { packageId: string; carrier: string | null; trackingNumber: string | null; items: { lineId: string; quantity: number }[] }>
  | Event<'shipment.status_changed', { packageId: string; from: string; to: string }>
  | Event<'store.imported', { customers: number; products: number; orders: number }>
  | Event<'conversation.created', { conversationId: string; channel: string; subject: string; externalRef: string | null }>
  | Event<'conversation.status_changed', { conversationId: string; from: string; to: string }>
  | Event<'conversation.assigned', { conversationId: string; assigneeKind: string | null; assignee: string | null }>
  | Event<'message.received', { conversationId: string; messageId: string; excerpt: string }>
  | Event<'message.sent', { conversationId: string; messageId: string; excerpt: string; delivery: string; sourceEventId: string | null }>
  | Event<'note.added', { conversationId: string; messageId: string; excerpt: string }>
  | Event<'handoff.created', { handoffId: string; conversationId: string; summary: string; customerVerified: boolean; done: string[]; refused: { action: string; reason: string; why: string }[] }>
  | Event<'handoff.taken', { handoffId: string; conversationId: string; takenBy: string | null }>
  | Event<'handoff.resolved', { handoffId: string; conversationId: string; resolvedBy: string | null }>;

export type TimelineEventType = TimelineEvent['type'];

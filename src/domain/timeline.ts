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
  | Event<'sop.run_started', { runId: string; sopId: string; version: string; conversationId: string | null }>
  | Event<'sop.step_completed', { runId: string; sopId: string; stepId: string; kind: string; outcome: string }>
  | Event<'sop.run_finished', { runId: string; sopId: string; status: string; failedStepId: string | null; compensations: { stepId: string; tool: string; ok: boolean }[] }>;

export type TimelineEventType = TimelineEvent['type'];

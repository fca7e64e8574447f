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
  | Event<'order.canceled', {
    number: number; reason: string; currency: string; refundId: string | null; refundAmount: number; voidedAmount: number;
    restocked: { variantId: string; quantity: number }[];
  }>
  | Event<'refund.issued', RefundEventData>
  | Event<'return.requested', { returnId: string; trackingId: string; reason: string; items: { lineId: string; quantity: number }[] }>
  | Event<'return.approved' | 'return.picked_up' | 'return.canceled', ReturnStepData>
  | Event<'return.declined', ReturnStepData & { reason: string }>
  | Event<'return.received', ReturnStepData & { restocked: { variantId: string; quantity: number }[] }>
  | Event<'return.refunded', RefundEventData & { trackingId: string }>
  | Event<'return_policy.changed', { scope: string; key: string; windowDays: number | null }>;

export interface RefundEventData {
  refundId: string;
  returnId: string | null;
  amount: number;
  shippingAmount: number;
  currency: string;
  destination: string;
  items: { lineId: string; quantity: number; amount: number }[];
}

export interface ReturnStepData {
  returnId: string;
  trackingId: string;
  from: string;
  to: string;
}

export type TimelineEventType = TimelineEvent['type'];

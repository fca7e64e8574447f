/**
 * The activity timeline is a typed union of events with dotted names. Every accepted write records
 * exactly one event, in the same transaction as the change, beside an outbox row for delivery.
 */
import type { Address } from './addresses.js';

/** One field of the evidence a manual step recorded, with the label its procedure gives it. */
export interface RecordedEvidence {
  name: string;
  label: string;
  value: string | number | boolean;
  /** Where the value came from when no one typed it: `conversation.ticket`, the conversation's marketplace ticket. */
  from?: string;
}

export type ActorKind = 'human' | 'ai_agent' | 'system';
export const ACTOR_KINDS = ['human', 'ai_agent', 'system'] as const satisfies readonly ActorKind[];

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

/** What an outbox row delivers: a timeline event (its type), or a push of an action to Shopify. */
export type OutboxTopic = TimelineEvent['type'] | 'shopify.push' | 'webhook.delivery';

export type TimelineEvent =
  | Event<'customer.created', { name: string; emails: string[] }>
  /** `tagsAdded` and `tagsRemoved` when a channel's tags changed the customer's (`changed` then names `tags`). */
  | Event<'customer.updated', { changed: string[]; tagsAdded?: string[]; tagsRemoved?: string[] }>
  | Event<'customer.notes_changed', { noteChanged: boolean; tagsAdded: string[]; tagsRemoved: string[] }>
  | Event<'product.created', { productId: string; title: string }>
  | Event<'product.updated', { productId: string; title: string }>
  | Event<'order.created', { number: number; channel: string; total: number; currency: string }>
  | Event<'payment.recorded', { transactionId: string; kind: string; status: string; amount: number; currency: string }>
  | Event<
      'fulfillment.created',
      {
        packageId: string;
        carrier: string | null;
        trackingNumber: string | null;
        items: { lineId: string; quantity: number }[];
      }
    >
  | Event<'shipment.status_changed', { packageId: string; from: string; to: string }>
  | Event<'store.imported', { customers: number; products: number; orders: number }>
  | Event<'sop.run_started', { runId: string; sopId: string; version: string; conversationId: string | null }>
  | Event<
      'sop.step_completed',
      {
        runId: string;
        sopId: string;
        stepId: string;
        kind: string;
        outcome: string;
        /** The step's heading in its procedure (absent on events written before it was recorded). */
        title?: string;
        /** A manual step: what the person recorded of the work done by hand (ticket reference, ESG number…). */
        evidence?: RecordedEvidence[];
      }
    >
  | Event<
      'sop.run_finished',
      {
        runId: string;
        sopId: string;
        status: string;
        failedStepId: string | null;
        compensations: { stepId: string; tool: string; ok: boolean }[];
      }
    >
  | Event<
      'conversation.created',
      { conversationId: string; channel: string; subject: string; externalRef: string | null; followsUp?: string }
    >
  | Event<'conversation.status_changed', { conversationId: string; from: string; to: string }>
  | Event<
      'conversation.updated',
      {
        conversationId: string;
        changed: ('subject' | 'priority' | 'tags' | 'linkOrders' | 'unlinkOrders')[];
        subject?: string;
        priority?: string;
        /** The conversation's tags after the edit, when they were given. */
        tags?: string[];
        /** With `tags`: those the edit added and removed (absent on events written before they were recorded). */
        tagsAdded?: string[];
        tagsRemoved?: string[];
        linkedOrders: string[];
        unlinkedOrders?: string[];
      }
    >
  | Event<'conversation.assigned', { conversationId: string; assigneeKind: string | null; assignee: string | null }>
  /** A person paused the AI agent on the conversation (or let it answer again); `by` is who (the actor's id). */
  | Event<'conversation.ai_paused' | 'conversation.ai_resumed', { conversationId: string; by: string | null }>
  | Event<'message.received', { conversationId: string; messageId: string; excerpt: string }>
  | Event<
      'message.sent',
      { conversationId: string; messageId: string; excerpt: string; delivery: string; sourceEventId: string | null }
    >
  | Event<'note.added', { conversationId: string; messageId: string; excerpt: string }>
  | Event<
      'handoff.created',
      {
        handoffId: string;
        conversationId: string;
        summary: string;
        customerVerified: boolean;
        done: string[];
        refused: { action: string; reason: string; why: string }[];
      }
    >
  | Event<'handoff.taken', { handoffId: string; conversationId: string; takenBy: string | null }>
  | Event<'handoff.resolved', { handoffId: string; conversationId: string; resolvedBy: string | null }>
  | Event<
      'order.canceled',
      {
        number: number;
        reason: string;
        currency: string;
        refundId: string | null;
        refundAmount: number;
        /** Where the refund went (original_payment, store_credit, gift_card); null when nothing was refunded. */
        refundDestination: string | null;
        /** What had been captured when it was canceled: 0 = the customer was never charged. */
        capturedAmount: number;
        voidedAmount: number;
        restocked: { variantId: string; quantity: number }[];
      }
    >
  /** The channel the order came from (e.g. Shopify) canceled it; its refunds and voids are recorded as payments. */
  | Event<'order.canceled_by_channel', { number: number; channel: string; reason: string }>
  | Event<'order.edited_by_channel', OrderEditedByChannelData>
  | Event<'refund.issued', RefundEventData>
  /** The order's channel refunded it (money moved there); recorded so sopdesk's rules count it. */
  | Event<
      'refund.issued_by_channel',
      {
        refundId: string;
        channel: string;
        amount: number;
        currency: string;
        items: { lineId: string; quantity: number; amount: number }[];
      }
    >
  | Event<
      'return.requested',
      { returnId: string; trackingId: string; reason: string; items: { lineId: string; quantity: number }[] }
    >
  | Event<'return.approved' | 'return.picked_up' | 'return.canceled', ReturnStepData>
  | Event<'return.declined', ReturnStepData & { reason: string }>
  | Event<'return.received', ReturnStepData & { restocked: { variantId: string; quantity: number }[] }>
  | Event<'return.refunded', RefundEventData & { trackingId: string }>
  | Event<
      'approval.requested',
      { approvalId: string; tool: string; reasons: string[]; amount: number | null; currency: string | null }
    >
  | Event<'approval.approved', { approvalId: string; tool: string; requestedBy: string | null }>
  | Event<'approval.declined', { approvalId: string; tool: string; reason: string | null }>
  | Event<
      'approval_policy.changed',
      {
        actorKind: string;
        refundMaxAmount: number | null;
        refundCurrency: string | null;
        refundsPerCustomerPerDay: number | null;
        approvalTools: string[];
      }
    >
  | Event<'return_policy.changed', { scope: string; key: string; windowDays: number | null }>
  | Event<'exchange.requested', ExchangeRequestedData>
  | Event<'exchange.completed', { exchangeId: string }>
  | Event<
      'exchange.canceled',
      { exchangeId: string; reason: string | null; reversedAmount: number; transactionId: string | null }
    >
  | Event<'order.address_changed', { before: AddressData | null; after: AddressData }>
  | Event<'order.items_changed', OrderItemsChangedData>
  | Event<'order.payment_changed', OrderPaymentChangedData>
  | Event<'customer.address_changed', { addressId: string; before: AddressData | null; after: AddressData }>
  | Event<'product.swapped', ProductSwappedData>
  | Event<'access_codes.issued', { itemId: string; sku: string; codes: string[] }>
  | Event<'access_codes.revoked', { itemId: string; sku: string; codes: string[] }>
  | Event<'purchase_history.synced', PurchaseHistorySyncedData>
  | Event<'shopify.push_failed', ShopifyPushFailedData>
  /** Kogan refused a push (or gave no usable answer after the last attempt): a person takes it up in the seller portal. */
  | Event<'kogan.push_failed', KoganPushFailedData>
  /** Kogan accepted a push: the dispatch, cancel or refund is carried out in Kogan. */
  | Event<'kogan.pushed', { action: KoganPushAction; refundId: string | null; koganOrderRef: string }>
  /** An admin created, changed, deleted, disabled or re-enabled an outbound webhook subscription; or failures disabled it. */
  | Event<
      'webhook.subscription_changed',
      { subscriptionId: string; change: 'created' | 'updated' | 'deleted' | 'enabled' | 'disabled'; url: string }
    >
  /** An item to be created on the work board (Monday), pushed by the outbox; customerId null, so it holds back no message. */
  | Event<
      'work_board.item_requested',
      { boardId: string; groupId: string; itemName: string; columnValues: Record<string, string> }
    >
  | Event<'work_board.item_created', { boardId: string; itemId: string; itemName: string }>
  /** Monday refused the item, or the outbox gave up on it: a person logs it by hand. */
  | Event<'work_board.item_failed', { boardId: string; itemName: string; message: string }>
  /** A person put a delivery the outbox had given up (a dead letter) back in the queue. */
  | Event<
      'outbox.retried',
      { outboxId: string; topic: string; attempts: number; lastError: string | null; messageId: string | null }
    >;

/** Every timeline event type, known at run time (an SOP's wait names one); kept equal to the union by the compiler. */
export const TIMELINE_EVENT_TYPES = Object.keys({
  'access_codes.issued': true,
  'access_codes.revoked': true,
  'approval.approved': true,
  'approval.declined': true,
  'approval.requested': true,
  'approval_policy.changed': true,
  'conversation.ai_paused': true,
  'conversation.ai_resumed': true,
  'conversation.assigned': true,
  'conversation.created': true,
  'conversation.status_changed': true,
  'conversation.updated': true,
  'customer.address_changed': true,
  'customer.created': true,
  'customer.notes_changed': true,
  'customer.updated': true,
  'exchange.canceled': true,
  'exchange.completed': true,
  'exchange.requested': true,
  'fulfillment.created': true,
  'handoff.created': true,
  'handoff.resolved': true,
  'handoff.taken': true,
  'kogan.push_failed': true,
  'kogan.pushed': true,
  'message.received': true,
  'message.sent': true,
  'note.added': true,
  'order.address_changed': true,
  'order.canceled': true,
  'order.canceled_by_channel': true,
  'order.created': true,
  'order.edited_by_channel': true,
  'order.items_changed': true,
  'order.payment_changed': true,
  'outbox.retried': true,
  'payment.recorded': true,
  'product.created': true,
  'product.swapped': true,
  'product.updated': true,
  'purchase_history.synced': true,
  'refund.issued': true,
  'refund.issued_by_channel': true,
  'return.approved': true,
  'return.canceled': true,
  'return.declined': true,
  'return.picked_up': true,
  'return.received': true,
  'return.refunded': true,
  'return.requested': true,
  'return_policy.changed': true,
  'shipment.status_changed': true,
  'shopify.push_failed': true,
  'sop.run_finished': true,
  'sop.run_started': true,
  'sop.step_completed': true,
  'store.imported': true,
  'webhook.subscription_changed': true,
  'work_board.item_created': true,
  'work_board.item_failed': true,
  'work_board.item_requested': true,
} satisfies Record<TimelineEvent['type'], true>) as TimelineEvent['type'][];

/** The channel's own edit of an order (a Shopify order edit), as sopdesk applied it. */
export interface OrderEditedByChannelData {
  channel: string;
  /** The channel's time of the order version the edit came from. */
  channelUpdatedAt: string;
  added: { itemId: string; sku: string; quantity: number }[];
  changed: { itemId: string; sku: string; before: number; after: number }[];
  removed: { itemId: string; sku: string; quantity: number }[];
  shippingAddress: { before: AddressData | null; after: AddressData } | null;
}

/** An address as events carry it: the one address shape (`src/domain/addresses.ts`). */
export type AddressData = Address;

/** Minor units throughout; a positive difference was charged, a negative one refunded. */
export interface ExchangeRequestedData {
  exchangeId: string;
  items: {
    itemId: string;
    quantity: number;
    fromSku: string;
    toSku: string;
    fromUnitPrice: number;
    toUnitPrice: number;
    /** The titles given back and received, for the confirmation; absent on events written before they were kept. */
    title?: string;
    toTitle?: string;
    /** The same variant again, for a damaged or defective unit. */
    replacement?: boolean;
  }[];
  /** DAMAGED or DEFECTIVE when the exchange replaces damaged or defective units. */
  replacementReason?: string | null;
  /** How the customer sees the method the difference was settled on, e.g. "Visa •••• 4242"; null when nothing moved. */
  paymentMethodLabel?: string | null;
  priceDifference: number;
  currency: string;
  paymentMethodId: string | null;
  transactionId: string | null;
}

export interface OrderItemsChangedData {
  changes: {
    itemId: string;
    quantity: number;
    before: { variantId: string | null; sku: string; title: string; unitPrice: number };
    after: { variantId: string; sku: string; title: string; unitPrice: number };
  }[];
  priceDifference: number;
  currency: string;
  paymentMethodId: string | null;
  transactionId: string | null;
}

export interface OrderPaymentChangedData {
  toPaymentMethodId: string;
  fromPaymentMethodIds: (string | null)[];
  /** Minor units moved off the old methods and onto the new one. */
  authorizedMoved: number;
  capturedMoved: number;
  transactionIds: string[];
}

export interface ProductSwappedData {
  itemId: string;
  before: { variantId: string | null; productId: string | null; sku: string; title: string; unitPrice: number };
  after: { variantId: string; productId: string; sku: string; title: string; unitPrice: number };
  revokedCodes: string[];
  issuedCodes: string[];
}

export interface PurchaseHistorySyncedData {
  imsId: string;
  changed: boolean;
  added: number;
  removed: number;
  updated: number;
  entries: number;
}

/** Shopify did not take a cancel, refund or address change sopdesk made (its refusal, or no answer after the last attempt): a person must look. */
export interface ShopifyPushFailedData {
  /** The sopdesk action that was pushed. */
  action: 'cancel' | 'refund' | 'address';
  refundId: string | null;
  /** Shopify's own message, or the last error. */
  message: string;
  /** false: Shopify refused; true: no usable answer after the last attempt. */
  gaveUp: boolean;
  /** The customer's confirmation of the action was not sent: it would tell of money or a cancel Shopify did not carry out. */
  confirmationWithheld: boolean;
}

export type KoganPushAction = 'dispatch' | 'cancel' | 'refund';

export interface KoganPushFailedData {
  action: KoganPushAction;
  refundId: string | null;
  /** Kogan's own message, or the last error. */
  message: string;
  /** false: Kogan refused; true: no usable answer after the last attempt. */
  gaveUp: boolean;
  /** The customer's confirmation of the action was not sent: it would tell of something Kogan did not carry out. */
  confirmationWithheld: boolean;
}

export interface RefundEventData {
  refundId: string;
  returnId: string | null;
  amount: number;
  shippingAmount: number;
  currency: string;
  destination: string;
  /** On a marketplace order (destination `marketplace`): its channel, e.g. kogan — the marketplace refunds it. */
  marketplace?: string;
  items: { lineId: string; quantity: number; amount: number }[];
  /** Access codes of refunded digital access units, revoked with the refund. */
  revokedCodes?: string[];
}

export interface ReturnStepData {
  returnId: string;
  trackingId: string;
  from: string;
  to: string;
}

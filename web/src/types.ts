export interface Me { name: string; role: string }

export interface Conversation {
  id: string;
  customerId: string;
  customer: { id: string; name: string; email: string | null };
  channel: string;
  subject: string;
  status: string;
  statusLabel: string;
  nextStatuses: string[];
  priority: string;
  assignee: { kind: string; name: string } | null;
  tags: string[];
  externalRef: string | null;
  orders: { id: string; name: string }[];
  openHandoff: { id: string; status: string } | null;
  lastMessage: { kind: string; excerpt: string; createdAt: string } | null;
  lastActivityAt: string;
}

export interface Message {
  id: string;
  kind: 'inbound' | 'outbound' | 'note';
  authorKind: string;
  authorName: string | null;
  body: string;
  delivery: string | null;
  deliveryError: string | null;
  createdAt: string;
}

export interface HandoffState {
  customerVerified: boolean;
  orderId: string | null;
  done: string[];
  refused: { action: string; reason: string; why: string }[];
}

export interface Handoff {
  id: string;
  conversationId: string;
  customer: { id: string; name: string; email: string | null };
  conversationSubject: string;
  status: string;
  summary: string;
  state: HandoffState;
  requestedByKind: string;
  requestedBy: string | null;
  takenBy: string | null;
  createdAt: string;
}

export interface ConversationDetail extends Conversation {
  messages: Message[];
  handoffs: Handoff[];
}

export interface OrderLine {
  id: string;
  sku: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  quantity: number;
  unitPrice: number;
  total: number;
  returnable: boolean;
  fulfilledQuantity: number;
  deliveredQuantity: number;
  trackingUrls: string[];
}

export interface Order {
  id: string;
  name: string;
  /** Null for an order without a customer (a point-of-sale sale without an email). */
  customerId: string | null;
  channel: string;
  /** A test order of the channel: no real money moved. */
  test: boolean;
  externalRef: string | null;
  currency: string;
  placedAt: string;
  status: { order: string; orderLabel: string; financial: string; financialLabel: string; fulfillment: string; fulfillmentLabel: string };
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number; captured: number; refunded: number; refundable: number; outstanding: number };
  lines: OrderLine[];
  packages: { id: string; carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; statusLabel: string }[];
}

export interface Customer {
  id: string;
  name: string;
  phone: string | null;
  emails: { email: string; isPrimary: boolean }[];
}

export interface TimelineEvent {
  id: string;
  type: string;
  orderId: string | null;
  actor: { kind: string; id: string | null };
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface Macro { id: string; name: string; body: string }

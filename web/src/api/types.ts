/**
 * The API's answers as the UI reads them, taken from the generated OpenAPI types (./schema.d.ts).
 *
 * Some answers are still described in the document only in prose (`{ type: object, additionalProperties: true }`,
 * generated as `{ [key: string]: unknown }`). For those, `Described<Generated, Prose>` falls back to the shape written
 * in the `Prose…` interfaces below, which say what the server sends today. As soon as the document gives an answer its
 * real schema (and `npm run gen:api` is run), the generated type is used instead and its `Prose…` interface is dead.
 */
import type { paths } from './schema';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type SuccessOf<Op> = Op extends { responses: infer R }
  ? JsonOf<R[Extract<keyof R, 200 | 201>]> | (204 extends keyof R ? undefined : never)
  : never;
/** The JSON body of an operation's success answer, as the document describes it. */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete'> = SuccessOf<
  NonNullable<paths[P][M]>
>;
/** The generated type when the document describes the answer; the prose shape while it is an open object. */
export type Described<Generated, Prose> = string extends keyof NonNullable<Generated> ? Prose : Generated;

/**
 * An answer typed as `Described` says: `described<ProseOrder>()(data)`. Once the document describes the answer this
 * is the identity on the generated type (so a component that reads a field the schema lacks no longer compiles).
 */
export const described =
  <Prose>() =>
  <Generated>(data: Generated) =>
    data as unknown as Described<Generated, Prose>;

/** A tool the server serves over POST (its path is /v1/tools/<name>). */
type ToolName = {
  [P in keyof paths]: P extends `/v1/tools/${infer N}` ? (paths[P] extends { post: object } ? N : never) : never;
}[keyof paths];
type ToolOutput<N extends ToolName> = Answer<`/v1/tools/${N}`, 'post'>;

export type Me = Answer<'/v1/session', 'get'>;

export type Conversation = Described<Answer<'/v1/conversations/{id}', 'get'>, ProseConversationDetail>;
export type ConversationPage = Described<
  Answer<'/v1/conversations', 'get'>,
  { items: ProseConversation[]; nextCursor: string | null }
>;
export type Handoff = Described<Answer<'/v1/handoffs', 'get'>['handoffs'][number], ProseHandoff>;
export type AiStatus = Answer<'/v1/ai', 'get'>;
export type AiTurns = Answer<'/v1/conversations/{id}/ai-turns', 'get'>;
export type AiTurn = AiTurns['turns'][number];
export type TraceEntry = AiTurn['trace'][number];
export type Order = Described<Answer<'/v1/orders/{ref}', 'get'>, ProseOrder>;
export type Product = Described<Answer<'/v1/products/{id}', 'get'>, ProseProduct>;
export type TimelinePage = Described<
  Answer<'/v1/customers/{id}/timeline', 'get'>,
  { events: ProseTimelineEvent[]; nextCursor: string | null }
>;
export type TimelineEvent = TimelinePage['events'][number];
export type MacroList = Described<
  Answer<'/v1/macros', 'get'>,
  { macros: ProseMacro[]; placeholders: Record<string, string> }
>;
export type Macro = MacroList['macros'][number];
export type TemplateList = Described<Answer<'/v1/templates', 'get'>, { templates: ProseTemplate[] }>;
export type Template = TemplateList['templates'][number];
export type Tool = Described<Answer<'/v1/tools/{name}', 'get'>, ProseTool>;
export type ToolSummary = Answer<'/v1/tools/summary', 'get'>['tools'][number];
export type SopRunView = Described<Answer<'/v1/sop-runs/{id}', 'get'>, ProseSopRun>;
export type SopRunList = Described<Answer<'/v1/sop-runs', 'get'>, { runs: ProseSopRunListItem[] }>;
export type CurrentStep = NonNullable<SopRunView['current']>;
export type EvidenceFieldView = NonNullable<CurrentStep['evidence']>[number];
export type FailedDelivery = Answer<'/v1/outbox/failed', 'get'>['items'][number];
export type OrderActionsView = Answer<'/v1/orders/{ref}/actions', 'get'>;
export type ActionAvailability = OrderActionsView['actions'][number];
export type ReturnView = OrderActionsView['returns'][number];
export type ExchangeView = OrderActionsView['exchanges'][number];

// What the server sends today for answers the document describes only in prose.

interface ProseConversation {
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

interface ProseMessage {
  id: string;
  kind: 'inbound' | 'outbound' | 'note';
  authorKind: string;
  authorName: string | null;
  body: string;
  delivery: string | null;
  deliveryError: string | null;
  createdAt: string;
}

export interface ProseHandoff {
  id: string;
  conversationId: string;
  customer: { id: string; name: string; email: string | null };
  conversationSubject: string;
  status: string;
  summary: string;
  state: {
    customerVerified: boolean;
    orderId: string | null;
    done: string[];
    refused: { action: string; reason: string; why: string }[];
  };
  requestedByKind: string;
  requestedBy: string | null;
  takenBy: string | null;
  createdAt: string;
}

export interface ProseConversationDetail extends ProseConversation {
  messages: ProseMessage[];
  handoffs: ProseHandoff[];
}

export interface ProseOrder {
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
  status: {
    order: string;
    orderLabel: string;
    financial: string;
    financialLabel: string;
    fulfillment: string;
    fulfillmentLabel: string;
  };
  totals: {
    subtotal: number;
    discount: number;
    shipping: number;
    tax: number;
    total: number;
    captured: number;
    refunded: number;
    refundable: number;
    outstanding: number;
  };
  lines: {
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
  }[];
  packages: {
    id: string;
    carrier: string | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    statusLabel: string;
  }[];
}

export interface ProseCustomer {
  id: string;
  name: string;
  phone: string | null;
  emails: { email: string; isPrimary: boolean }[];
  paymentMethods?: { id: string; kind?: string; label: string; balance?: number | null; currency: string | null }[];
  addresses?: {
    id: string;
    name: string | null;
    line1: string;
    line2: string | null;
    city: string;
    region: string | null;
    zip: string;
    country: string;
    isDefault: boolean;
  }[];
}

export interface ProseProduct {
  id: string;
  variants: {
    id: string;
    sku: string;
    title: string;
    price: number;
    currency: string;
    available?: boolean;
    inventoryQuantity?: number | null;
  }[];
}

interface ProseTimelineEvent {
  id: string;
  type: string;
  orderId: string | null;
  actor: { kind: string; id: string | null };
  data: Record<string, unknown>;
  occurredAt: string;
}

interface ProseMacro {
  id: string;
  name: string;
  body: string;
}
interface ProseTemplate {
  key: string;
  subject: string;
  body: string;
  customized: boolean;
}

/** The JSON Schema subset the tool catalogue publishes (the action forms are built from it). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: (string | number)[];
  description?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
}

export interface ProseTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonSchema;
  input?: JsonSchema;
}

export interface ProseSopSummary {
  id: string;
  title: string;
  appliesWhen: string;
  stepCount: number;
}

export interface ProseSopRun {
  id: string;
  sopId: string;
  title: string;
  status: 'running' | 'waiting' | 'completed' | 'failed' | 'canceled' | 'handed_off';
  customerId: string | null;
  conversationId: string | null;
  current: {
    stepId: string;
    kind: string;
    title: string;
    instructions: string;
    needs: 'answer' | 'evidence' | 'confirm' | 'event' | 'nothing';
    prompt?: string;
    form?: { input: string; type: string; options?: string[] };
    system?: string;
    hints?: string[];
    evidence?: { name: string; type: string; pattern?: string; label?: string }[];
    tool?: {
      name: string;
      title: string;
      readOnly: boolean;
      destructive: boolean;
      arguments?: Record<string, unknown>;
      preview?: unknown;
      previewError?: { code: string; message: string; reason?: string };
    };
    wait?: { event: string; when?: string; until?: string };
  } | null;
  inputs: Record<string, unknown>;
  completedSteps: string[];
  messages: { stepId: string; text: string; disclosures: string[] }[];
  notices: { stepId: string; message: string }[];
  refusals: { stepId: string; tool: string; reason?: string; message: string }[];
  compensations: { stepId: string; tool: string; ok: boolean; error?: string }[];
  failure: { stepId: string; message: string; code?: string; reason?: string } | null;
  handoff: { stepId: string; summary: string } | null;
  cancelReason: string | null;
  updatedAt: string;
}

interface ProseSopRunListItem {
  id: string;
  sopId: string;
  status: ProseSopRun['status'];
  currentStepId: string | null;
  conversationId: string | null;
  updatedAt: string;
}
export type ApprovalList = Answer<'/v1/approvals', 'get'>;
export type Approval = ApprovalList['approvals'][number];
export type ApprovalPolicy = Answer<'/v1/approval-policy', 'get'>;
export type ActorLimits = ApprovalPolicy['actors'][number];
export type SimulationRun = Answer<'/v1/simulation-runs', 'get'>['runs'][number];
export type SimulationRunDetail = Answer<'/v1/simulation-runs/{id}', 'get'>;

/**
 * The OpenAPI entries of the order actions, returns, inbox, store, session and SOP routes: each names the
 * zod schemas its route parses (and, where a tool returns the same answer, the tool's output schema), so
 * the document is generated from what the server validates. `openapi.ts` turns every entry into an operation.
 */
import { z } from 'zod';
import { AssignInput, CreateConversationInput, InboundInput, MacroInput, MessageInput, StatusInput, TemplateInput, TransferInput, UpdateConversationInput } from '../app/inbox/schemas.js';
import { SetReturnPolicyInput } from '../app/returns/schemas.js';
import { CancelSopRunBody, ListSopRunsQuery, StartSopRunBody, SubmitStepBody } from '../sop/schemas.js';
import type { JsonSchema } from '../tools/json-schema.js';
import type { Refusal } from '../tools/refusals.js';
import { ConversationListQuery } from './routes/conversations.js';
import { HandoffListQuery } from './routes/handoffs.js';
import { RenderMacroBody } from './routes/macros.js';
import { SignInBody } from './routes/session.js';
import { TimelineQuery } from './routes/timeline.js';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  operationId: string;
  summary: string;
  /** Longer text: what it does and the refusals it can give. */
  description?: string;
  /** The not_eligible reasons it can give (x-sopdesk-refusals). */
  refusals?: readonly Refusal[];
  tag: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A request body that is not JSON only (the store import), as OpenAPI request-body content. */
  rawBody?: Record<string, { schema: JsonSchema }>;
  /** Takes an Idempotency-Key header. */
  idempotent?: boolean;
  /** The success answer; no schema = no JSON body (204, or a stream described in words). */
  ok: { status: number; description: string; schema?: JsonSchema | z.ZodType };
  errors: number[];
  public?: boolean;
}

/** An object answer described in words, where no output schema exists (yet). */
export const obj = (description: string): JsonSchema => ({ type: 'object', description, additionalProperties: true });
const list = (key: string, description: string, item: string): JsonSchema =>
  ({ type: 'object', description, properties: { [key]: { type: 'array', description, items: obj(item) } }, required: [key] });

export const READ_ERRORS = [400, 401, 404];
export const WRITE_ERRORS = [400, 401, 403, 404, 409];
export const ACTION_ERRORS = [...WRITE_ERRORS, 422];

type Entry = Omit<RouteDoc, 'method' | 'path' | 'operationId' | 'tag' | 'summary' | 'errors' | 'ok'> & { errors?: number[]; status?: number };
const route = (method: RouteDoc['method'], tag: string) =>
  (path: string, operationId: string, summary: string, ok: string, schema?: JsonSchema | z.ZodType, more: Entry = {}): RouteDoc => {
    const { errors, status, ...rest } = more;
    const write = method !== 'get';
    return {
      method, path: `/v1${path}`, operationId, summary, tag, idempotent: write, ...rest,
      ok: { status: status ?? 200, description: ok, ...(schema ? { schema } : {}) },
      errors: errors ?? (write ? WRITE_ERRORS : READ_ERRORS),
    };
  };
const verbs = (tag: string) => ({ get: route('get', tag), post: route('post', tag), put: route('put', tag), patch: route('patch', tag), del: route('delete', tag) });

const returns = verbs('returns');
const inbox = verbs('inbox');
const sops = verbs('sops');
const session = verbs('session');
const CONVERSATION = 'A conversation: id, customer, channel, subject, status, assignee, tags, priority, linked orders, messages (incoming, outgoing, notes) and timestamps';
const HANDOFF = 'A handoff: id, conversationId, customerId, status (queued, taken, resolved), summary, state {customerVerified, orderId, done, refused}, who requested and took it, timestamps';
const MACRO = 'A macro: id, name, body with placeholders such as {{customer.firstName}}, timestamps';
const RUN = 'An SOP run: status, the current step (instructions, what it needs, allowed tools), messages to relay, and what happened';
const POLICIES = list('policies', 'Every return-window rule: scope (category, channel, store), key, windowDays', 'A rule: scope, key, windowDays');

export const ROUTE_DOCS: RouteDoc[] = [
  returns.get('/return-policies', 'listReturnPolicies', 'The return-window rules (product windows are set on the product)', 'The rules', POLICIES, { errors: [401] }),
  returns.put('/return-policies', 'setReturnPolicy', 'Set or remove the return window of a category, a channel or the store (admin)', 'Every rule after the change', POLICIES, { body: SetReturnPolicyInput }),

  verbs('customers').get('/customers/{id}/timeline', 'getCustomerTimeline', "A customer's timeline, newest first", 'Events and the cursor of the next page',
    obj('events [{id, type, orderId, actor {kind, id}, data, occurredAt}], nextCursor'), { query: TimelineQuery }),

  inbox.get('/conversations', 'listConversations', 'Conversations, filtered and paged', 'A page of conversations', obj('conversations (without messages), nextCursor, counts'), { query: ConversationListQuery }),
  inbox.post('/conversations', 'createConversation', 'Open a conversation with a customer', 'The conversation', obj(CONVERSATION), { body: CreateConversationInput, status: 201 }),
  inbox.post('/conversations/inbound', 'receiveMessage', "Record a customer's incoming message (joins its conversation or opens one)", 'The conversation', obj(CONVERSATION), { body: InboundInput, status: 201 }),
  inbox.get('/conversations/{id}', 'getConversation', 'A conversation with its messages', 'The conversation', obj(CONVERSATION)),
  inbox.patch('/conversations/{id}', 'updateConversation', 'Change the subject, tags, priority or linked orders of a conversation', 'The conversation', obj(CONVERSATION), { body: UpdateConversationInput }),
  inbox.post('/conversations/{id}/status', 'changeConversationStatus', 'Move a conversation to another status (by its transition table)', 'The conversation', obj(CONVERSATION), { body: StatusInput, errors: ACTION_ERRORS }),
  inbox.post('/conversations/{id}/assign', 'assignConversation', 'Assign a conversation to an agent, or unassign it', 'The conversation', obj(CONVERSATION), { body: AssignInput }),
  inbox.post('/conversations/{id}/replies', 'sendReply', 'Send a reply to the customer', 'The message sent', obj('A message: id, kind, body, author, createdAt'), { body: MessageInput, status: 201 }),
  inbox.post('/conversations/{id}/notes', 'addNote', 'Add an internal note (the customer never sees it)', 'The note', obj('A message: id, kind (note), body, author, createdAt'), { body: MessageInput, status: 201 }),
  inbox.get('/handoffs', 'listHandoffs', 'The human queue: handoffs by status', 'Handoffs, oldest first', list('handoffs', 'Handoffs', HANDOFF), { query: HandoffListQuery }),
  inbox.post('/handoffs', 'transferToHuman', 'Hand a customer over to a human (as transfer_to_human_representative)', 'The handoff', obj(HANDOFF), { body: TransferInput, status: 201, errors: ACTION_ERRORS }),
  inbox.get('/handoffs/{id}', 'getHandoff', 'A handoff', 'The handoff', obj(HANDOFF)),
  inbox.post('/handoffs/{id}/take', 'takeHandoff', 'Take a queued handoff: the conversation is assigned to you', 'The handoff', obj(HANDOFF), { errors: ACTION_ERRORS }),
  inbox.post('/handoffs/{id}/resolve', 'resolveHandoff', 'Resolve a taken handoff', 'The handoff', obj(HANDOFF), { errors: ACTION_ERRORS }),
  inbox.get('/macros', 'listMacros', 'Saved replies and the placeholders they may use', 'Macros and placeholders', obj('macros [macro], placeholders [name]'), { errors: [401] }),
  inbox.post('/macros', 'createMacro', 'Save a new macro', 'The macro', obj(MACRO), { body: MacroInput, status: 201 }),
  inbox.put('/macros/{id}', 'updateMacro', 'Change a macro', 'The macro', obj(MACRO), { body: MacroInput }),
  inbox.del('/macros/{id}', 'deleteMacro', 'Delete a macro', 'Deleted (no body)', undefined, { status: 204 }),
  inbox.post('/macros/{id}/render', 'renderMacro', "A macro's text with the placeholders of a conversation filled in", 'The text', { type: 'object', properties: { body: { type: 'string', description: 'The rendered text' } }, required: ['body'] }, { body: RenderMacroBody, idempotent: false }),
  inbox.get('/templates', 'listTemplates', 'The confirmation templates (seed 003) and their placeholders', 'Templates and placeholders', obj('templates [{key, subject, body, isDefault}], placeholders [name]'), { errors: [401] }),
  inbox.put('/templates/{key}', 'updateTemplate', 'Change a confirmation template (admin)', 'The template', obj('A template: key, subject, body, isDefault'), { body: TemplateInput }),
  inbox.del('/templates/{key}', 'resetTemplate', 'Put a confirmation template back to its default (admin)', 'The template', obj('A template: key, subject, body, isDefault'), { idempotent: false }),

  verbs('store').post('/store/import', 'importStore', 'Import a whole-store snapshot (admin; docs/snapshot-format.md)', 'How many records of each kind were imported',
    obj('Counts of imported customers, products, orders and the records skipped'), {
      idempotent: false,
      rawBody: {
        'application/json': { schema: obj('One JSON document {"customers": [], "products": [], "orders": []}') },
        'application/x-ndjson': { schema: { type: 'string', description: 'JSON Lines: one record per line, {"type": "customer" | "product" | "order", …}' } },
      },
    }),
  verbs('store').get('/store/export', 'exportStore', 'Export the whole store as a snapshot (admin)', 'The snapshot as JSON Lines (application/x-ndjson), streamed; it can be imported again', undefined, { errors: [401, 403] }),

  verbs('connectors').post('/connectors/shopify/webhooks', 'receiveShopifyWebhook',
    'Shopify webhook receiver: signed with X-Shopify-Hmac-Sha256 instead of a token; X-Shopify-Topic, X-Shopify-Webhook-Id and X-Shopify-Shop-Domain required. 404 while SOPDESK_SHOPIFY_WEBHOOK_SECRET is unset',
    'What the delivery changed (a topic sopdesk does not sync is answered 200 with handled false; a repeated webhook id with duplicate true)',
    obj('topic, webhookId, shop, handled, duplicate, orderId, customerId, applied [timeline event types written]'), {
      public: true, idempotent: false, errors: [400, 401, 404, 409, 422],
      rawBody: { 'application/json': { schema: obj('The Shopify REST Admin resource of the topic (Order, Refund, Fulfillment, Customer or Product), exactly as Shopify sends it') } },
    }),

  session.post('/session', 'signIn', 'Sign in to the web UI with an API token or an email and password; sets the session cookie', 'Who is signed in and until when',
    { type: 'object', properties: { name: { type: 'string', description: 'Name' }, role: { type: 'string', description: 'Role' }, expiresAt: { type: 'string', description: 'When the session ends, ISO-8601' } }, required: ['name', 'role', 'expiresAt'] },
    { body: SignInBody, status: 201, public: true, idempotent: false, errors: [400, 401] }),
  session.get('/session', 'getSession', 'Who the token or session cookie belongs to', 'The principal',
    { type: 'object', properties: { name: { type: 'string', description: 'Name' }, role: { type: 'string', description: 'Role' } }, required: ['name', 'role'] }, { errors: [401] }),
  session.del('/session', 'signOut', 'Sign out of the web UI: ends the session and clears its cookie', 'Signed out (no body)', undefined, { status: 204, public: true, idempotent: false, errors: [] }),

  sops.get('/sops', 'listSops', 'The SOPs this desk follows (as list_sops)', 'Every SOP', list('sops', 'SOPs', 'An SOP: id, title, trigger, steps'), { errors: [401] }),
  sops.get('/sops/{id}', 'getSop', 'One SOP with its steps', 'The SOP', obj('An SOP: id, title, trigger, inputs, steps, source')),
  sops.post('/sop-runs', 'startSopRun', 'Start a run of an SOP (as start_sop)', 'The run', obj(RUN), { body: StartSopRunBody, status: 201, errors: ACTION_ERRORS }),
  sops.get('/sop-runs', 'listSopRuns', 'SOP runs, newest first', 'Runs', obj('runs [{id, sopId, customerId, status, startedAt, …}]'), { query: ListSopRunsQuery }),
  sops.get('/sop-runs/{id}', 'getSopRun', 'A run and its current step (a waiting run first looks for its event)', 'The run', obj(RUN)),
  sops.get('/sop-runs/{id}/history', 'getSopRunHistory', 'Every step a run completed, with inputs and outcomes', 'The history', obj('steps [{stepId, kind, outcome, at, …}]')),
  sops.post('/sop-runs/{id}/steps/{stepId}', 'submitSopStep', 'Complete the current step of a run: an answer, evidence, or confirm a tool step', 'The run after the step', obj(RUN), { body: SubmitStepBody, idempotent: false, errors: ACTION_ERRORS }),
  sops.post('/sop-runs/{id}/cancel', 'cancelSopRun', 'Stop a run', 'The run', obj(RUN), { body: CancelSopRunBody, idempotent: false, errors: ACTION_ERRORS }),
];

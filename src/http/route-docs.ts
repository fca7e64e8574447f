/**
 * The OpenAPI entries of the order actions, returns, inbox, store, session and SOP routes: each names the
 * zod schemas its route parses (and, where a tool returns the same answer, the tool's output schema), so
 * the document is generated from what the server validates. `openapi.ts` turns every entry into an operation.
 */
import { z } from 'zod';
import {
  AssignInput,
  CreateConversationInput,
  InboundInput,
  MacroInput,
  MessageInput,
  StatusInput,
  TemplateInput,
  TransferInput,
  UpdateConversationInput,
} from '../app/inbox/schemas.js';
import { SetReturnPolicyInput } from '../app/returns/schemas.js';
import {
  ApprovalList,
  ApprovalListQuery,
  ApprovalPolicyBody,
  ApprovalPolicyView,
  ApprovalView,
  ApproveApprovalBody,
  DeclineApprovalBody,
} from '../app/approvals/schemas.js';
import { CancelSopRunBody, ListSopRunsQuery, StartSopRunBody, SubmitStepBody } from '../sop/schemas.js';
import type { JsonSchema } from '../tools/json-schema.js';
import { TimelinePageOut } from '../app/customers/customer.schemas.js';
import {
  ConversationDetailOut,
  ConversationOut,
  ConversationPageOut,
  HandoffOut,
  MacroOut,
  PlaceholdersOut,
  TemplateOut,
} from '../app/inbox/view.schemas.js';
import {
  SopDetailsOut,
  SopRunHistoryEntryOut,
  SopRunSummaryOut,
  SopRunViewOut,
  SopSummaryOut,
} from '../sop/view.schemas.js';
import { ImportSummaryOut, PrincipalOut, ReturnPoliciesOut, SessionOut, ShopifyWebhookOut } from './answers.js';
import { ACTION_ERRORS, listOf, READ_ERRORS, WRITE_ERRORS, type OperationDoc } from './define-route.js';
import { AiStatusOut, AiTurnsOut } from '../agent/status.js';
import { ConversationListQuery } from './routes/conversations.js';
import { HandoffListQuery } from './routes/handoffs.js';
import { RenderMacroBody } from './routes/macros.js';
import { SignInBody } from './routes/session.js';
import { TimelineQuery } from './routes/timeline.js';
import { FailedDeliveriesQuery, FailedDeliveriesResult } from '../app/outbox/list-failed-deliveries.js';
import { RetryDeliveryResult } from '../app/outbox/retry-delivery.js';

type RouteDoc = OperationDoc;
/** A body that is not parsed by a zod schema (the store import, a Shopify delivery), described in words. */
const rawJson = (description: string): JsonSchema => ({ type: 'object', description });

type Entry = Omit<RouteDoc, 'method' | 'path' | 'operationId' | 'tag' | 'summary' | 'errors' | 'ok'> & {
  errors?: number[];
  status?: number;
};
const route =
  (method: RouteDoc['method'], tag: string) =>
  (
    path: string,
    operationId: string,
    summary: string,
    ok: string,
    schema?: JsonSchema | z.ZodType,
    more: Entry = {},
  ): RouteDoc => {
    const { errors, status, ...rest } = more;
    const write = method !== 'get';
    return {
      method,
      path: `/v1${path}`,
      operationId,
      summary,
      tag,
      idempotent: write,
      ...rest,
      ok: { status: status ?? 200, description: ok, ...(schema ? { schema } : {}) },
      errors: errors ?? (write ? WRITE_ERRORS : READ_ERRORS),
    };
  };
const verbs = (tag: string) => ({
  get: route('get', tag),
  post: route('post', tag),
  put: route('put', tag),
  patch: route('patch', tag),
  del: route('delete', tag),
});

const returns = verbs('returns');
const approvals = verbs('approvals');
const inbox = verbs('inbox');
const sops = verbs('sops');
const session = verbs('session');
const CONVERSATION = ConversationOut;
const POLICIES = ReturnPoliciesOut;
const RUN = SopRunViewOut;

export const ROUTE_DOCS: RouteDoc[] = [
  returns.get(
    '/return-policies',
    'listReturnPolicies',
    'The return-window rules (product windows are set on the product)',
    'The rules',
    POLICIES,
    { errors: [401] },
  ),
  returns.put(
    '/return-policies',
    'setReturnPolicy',
    'Set or remove the return window of a category, a channel or the store (admin)',
    'Every rule after the change',
    POLICIES,
    { body: SetReturnPolicyInput },
  ),

  verbs('customers').get(
    '/customers/{id}/timeline',
    'getCustomerTimeline',
    "A customer's timeline, newest first",
    'Events and the cursor of the next page',
    TimelinePageOut,
    { query: TimelineQuery },
  ),

  inbox.get(
    '/conversations',
    'listConversations',
    'Conversations, filtered and paged',
    'A page of conversations',
    ConversationPageOut,
    { query: ConversationListQuery },
  ),
  inbox.post(
    '/conversations',
    'createConversation',
    'Open a conversation with a customer',
    'The conversation',
    CONVERSATION,
    { body: CreateConversationInput, status: 201 },
  ),
  inbox.post(
    '/conversations/inbound',
    'receiveMessage',
    "Record a customer's incoming message (joins its conversation or opens one)",
    'The conversation',
    CONVERSATION,
    { body: InboundInput, status: 201 },
  ),
  verbs('ai').get(
    '/ai',
    'getAiStatus',
    'Whether the AI agent is on, with which model and budgets, and how to turn it on',
    'The AI agent',
    AiStatusOut,
    { errors: [401] },
  ),
  verbs('ai').get(
    '/conversations/{id}/ai-turns',
    'listAiTurns',
    "The AI agent's turns on a conversation, newest first, each with its trace",
    'Whether the AI is paused here, and its turns',
    AiTurnsOut,
  ),
  verbs('ai').post(
    '/conversations/{id}/ai/pause',
    'pauseAi',
    'Pause the AI agent on a conversation: a turn in flight does nothing more',
    'The conversation’s AI turns, now paused',
    AiTurnsOut,
  ),
  verbs('ai').post(
    '/conversations/{id}/ai/resume',
    'resumeAi',
    'Let the AI agent answer this conversation again',
    'The conversation’s AI turns',
    AiTurnsOut,
  ),
  inbox.get(
    '/conversations/{id}',
    'getConversation',
    'A conversation with its messages',
    'The conversation',
    ConversationDetailOut,
  ),
  inbox.patch(
    '/conversations/{id}',
    'updateConversation',
    'Change the subject, tags, priority or linked orders of a conversation',
    'The conversation',
    CONVERSATION,
    { body: UpdateConversationInput },
  ),
  inbox.post(
    '/conversations/{id}/status',
    'changeConversationStatus',
    'Move a conversation to another status (by its transition table)',
    'The conversation',
    CONVERSATION,
    { body: StatusInput, errors: ACTION_ERRORS },
  ),
  inbox.post(
    '/conversations/{id}/assign',
    'assignConversation',
    'Assign a conversation to an agent, or unassign it',
    'The conversation',
    CONVERSATION,
    { body: AssignInput },
  ),
  inbox.post(
    '/conversations/{id}/replies',
    'sendReply',
    'Send a reply to the customer',
    'The conversation after the reply',
    CONVERSATION,
    { body: MessageInput, status: 201 },
  ),
  inbox.post(
    '/conversations/{id}/notes',
    'addNote',
    'Add an internal note (the customer never sees it)',
    'The conversation after the note',
    CONVERSATION,
    { body: MessageInput, status: 201 },
  ),
  inbox.get(
    '/handoffs',
    'listHandoffs',
    'The human queue: handoffs by status',
    'Handoffs, oldest first',
    listOf('handoffs', 'Handoffs, oldest first', HandoffOut),
    { query: HandoffListQuery },
  ),
  inbox.post(
    '/handoffs',
    'transferToHuman',
    'Hand a customer over to a human (as transfer_to_human_representative)',
    'The handoff',
    HandoffOut,
    { body: TransferInput, status: 201, errors: ACTION_ERRORS },
  ),
  inbox.get('/handoffs/{id}', 'getHandoff', 'A handoff', 'The handoff', HandoffOut),
  inbox.post(
    '/handoffs/{id}/take',
    'takeHandoff',
    'Take a queued handoff: the conversation is assigned to you',
    'The handoff',
    HandoffOut,
    { errors: ACTION_ERRORS },
  ),
  inbox.post('/handoffs/{id}/resolve', 'resolveHandoff', 'Resolve a taken handoff', 'The handoff', HandoffOut, {
    errors: ACTION_ERRORS,
  }),
  inbox.get(
    '/macros',
    'listMacros',
    'Saved replies and the placeholders they may use',
    'Macros and placeholders',
    z.object({ macros: z.array(MacroOut).describe('Macros, by name'), placeholders: PlaceholdersOut }),
    { errors: [401] },
  ),
  inbox.post('/macros', 'createMacro', 'Save a new macro', 'The macro', MacroOut, { body: MacroInput, status: 201 }),
  inbox.put('/macros/{id}', 'updateMacro', 'Change a macro', 'The macro', MacroOut, { body: MacroInput }),
  inbox.del('/macros/{id}', 'deleteMacro', 'Delete a macro', 'Deleted (no body)', undefined, { status: 204 }),
  inbox.post(
    '/macros/{id}/render',
    'renderMacro',
    "A macro's text with the placeholders of a conversation filled in",
    'The text',
    z.object({ body: z.string().describe('The rendered text') }),
    { body: RenderMacroBody, idempotent: false },
  ),
  inbox.get(
    '/templates',
    'listTemplates',
    'The confirmation templates (the Shopify order rules) and their placeholders',
    'Templates and placeholders',
    z.object({
      templates: z.array(TemplateOut).describe('Every confirmation template'),
      placeholders: PlaceholdersOut,
    }),
    { errors: [401] },
  ),
  inbox.put(
    '/templates/{key}',
    'updateTemplate',
    'Change a confirmation template (admin)',
    'The template',
    TemplateOut,
    { body: TemplateInput },
  ),
  inbox.del(
    '/templates/{key}',
    'resetTemplate',
    'Put a confirmation template back to its default (admin)',
    'The template',
    TemplateOut,
    { idempotent: false },
  ),

  inbox.get(
    '/outbox/failed',
    'listFailedDeliveries',
    'Deliveries the outbox gave up after its last retry (dead letters), newest first (admin, agent)',
    'A page of given-up deliveries',
    FailedDeliveriesResult,
    { query: FailedDeliveriesQuery, errors: [400, 401, 403] },
  ),
  inbox.post(
    '/outbox/{id}/retry',
    'retryDelivery',
    'Put a given-up delivery back in the queue with a fresh retry schedule (admin, agent)',
    'The delivery queued again',
    RetryDeliveryResult,
    { errors: ACTION_ERRORS },
  ),

  verbs('store').post(
    '/store/import',
    'importStore',
    'Import a whole-store snapshot (admin; docs/snapshot-format.md)',
    'How many records of each kind were imported',
    ImportSummaryOut,
    {
      idempotent: false,
      rawBody: {
        'application/json': { schema: rawJson('One JSON document {"customers": [], "products": [], "orders": []}') },
        'application/x-ndjson': {
          schema: {
            type: 'string',
            description: 'JSON Lines: one record per line, {"type": "customer" | "product" | "order", …}',
          },
        },
      },
    },
  ),
  verbs('store').get(
    '/store/export',
    'exportStore',
    'Export the whole store as a snapshot (admin)',
    'The snapshot as JSON Lines (application/x-ndjson), streamed; it can be imported again',
    undefined,
    { errors: [401, 403] },
  ),

  verbs('connectors').post(
    '/connectors/shopify/webhooks',
    'receiveShopifyWebhook',
    'Shopify webhook receiver: signed with X-Shopify-Hmac-Sha256 instead of a token; X-Shopify-Topic, X-Shopify-Webhook-Id and X-Shopify-Shop-Domain required. 404 while SOPDESK_SHOPIFY_WEBHOOK_SECRET is unset',
    'What the delivery changed (a topic sopdesk does not sync is answered 200 with handled false; a repeated webhook id with duplicate true)',
    ShopifyWebhookOut,
    {
      public: true,
      idempotent: false,
      errors: [400, 401, 404, 409, 422],
      rawBody: {
        'application/json': {
          schema: rawJson(
            'The Shopify REST Admin resource of the topic (Order, Refund, Fulfillment, Customer or Product), exactly as Shopify sends it',
          ),
        },
      },
    },
  ),

  session.post(
    '/session',
    'signIn',
    'Sign in to the web UI with an API token or an email and password; sets the session cookie',
    'Who is signed in and until when',
    SessionOut,
    { body: SignInBody, status: 201, public: true, idempotent: false, errors: [400, 401] },
  ),
  session.get('/session', 'getSession', 'Who the token or session cookie belongs to', 'The principal', PrincipalOut, {
    errors: [401],
  }),
  session.del(
    '/session',
    'signOut',
    'Sign out of the web UI: ends the session and clears its cookie',
    'Signed out (no body)',
    undefined,
    { status: 204, public: true, idempotent: false, errors: [] },
  ),

  sops.get(
    '/sops',
    'listSopDocuments',
    'The SOPs this desk follows (as list_sops)',
    'Every SOP',
    listOf('sops', 'Every SOP', SopSummaryOut),
    { errors: [401] },
  ),
  sops.get('/sops/{id}', 'getSop', 'One SOP with its steps', 'The SOP', SopDetailsOut),
  sops.post('/sop-runs', 'startSopRun', 'Start a run of an SOP (as start_sop)', 'The run', RUN, {
    body: StartSopRunBody,
    status: 201,
    errors: ACTION_ERRORS,
  }),
  sops.get(
    '/sop-runs',
    'listSopRuns',
    'SOP runs, newest first',
    'Runs',
    listOf('runs', 'Runs, newest first', SopRunSummaryOut),
    { query: ListSopRunsQuery },
  ),
  sops.get(
    '/sop-runs/{id}',
    'getSopRun',
    'A run and its current step (a waiting run first looks for its event)',
    'The run',
    RUN,
  ),
  sops.get(
    '/sop-runs/{id}/history',
    'getSopRunHistory',
    'Every step a run completed, with inputs and outcomes',
    'The history',
    z.object({
      runId: z.string().describe('Run id'),
      steps: z.array(SopRunHistoryEntryOut).describe('Completed steps, in order'),
    }),
  ),
  sops.post(
    '/sop-runs/{id}/steps/{stepId}',
    'submitSopStep',
    'Complete the current step of a run: an answer, evidence, or confirm a tool step',
    'The run after the step',
    RUN,
    { body: SubmitStepBody, idempotent: false, errors: ACTION_ERRORS },
  ),
  sops.post('/sop-runs/{id}/cancel', 'cancelSopRun', 'Stop a run', 'The run', RUN, {
    body: CancelSopRunBody,
    idempotent: false,
    errors: ACTION_ERRORS,
  }),

  approvals.get(
    '/approval-policy',
    'getApprovalPolicy',
    'What each kind of actor (ai_agent, agent, admin) may do without approval',
    'The policy',
    ApprovalPolicyView,
    { errors: [401] },
  ),
  approvals.put(
    '/approval-policy',
    'updateApprovalPolicy',
    'Set the limits of one or more kinds of actor (admin)',
    'The policy',
    ApprovalPolicyView,
    { body: ApprovalPolicyBody },
  ),
  approvals.get(
    '/approvals',
    'listApprovals',
    'Approval requests of a status (default pending), newest first',
    'The requests',
    ApprovalList,
    { query: ApprovalListQuery, errors: [400, 401] },
  ),
  approvals.get('/approvals/{id}', 'getApproval', 'One approval request', 'The request', ApprovalView),
  approvals.post(
    '/approvals/{id}/approve',
    'approveApproval',
    'Approve a pending request: the action runs as asked, as the actor who asked (agent within their own limits, or admin)',
    'The request, approved, with the action’s answer',
    ApprovalView,
    { body: ApproveApprovalBody, idempotent: false, errors: ACTION_ERRORS },
  ),
  approvals.post(
    '/approvals/{id}/decline',
    'declineApproval',
    'Decline a pending request; the customer is told the reason',
    'The request, declined',
    ApprovalView,
    { body: DeclineApprovalBody, idempotent: false },
  ),
];

/**
 * The OpenAPI 3.1 document at /openapi.json, generated from the zod schemas the routes validate with and
 * from the tool catalogue (one operation per tool). JSON Schema 2020-12 is OpenAPI 3.1's own dialect.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../kernel/errors.js';
import type { ToolDefinition } from '../tools/define.js';
import { toolSchemas, type JsonSchema } from '../tools/json-schema.js';
import { ApprovalRequiredOut } from '../app/approvals/schemas.js';
import { HTTP_STATUS } from './errors.js';
import { BEARER_CHALLENGE } from './auth.js';
import { ACTION_ERRORS, READ_ERRORS, WRITE_ERRORS, type Answer, type OperationDoc } from './define-route.js';
import { ROUTES } from './routes/catalogue.js';
import { restOperations, type RestOperation } from './operations.js';
import { refusalTable, type Refusal } from '../tools/refusals.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _d, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return rest;
};
const body = (schema: z.ZodType) => jsonSchema(schema, 'input');

const RESPONSE_NAME: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  422: 'NotEligible',
  429: 'TooManyRequests',
  500: 'Internal',
};
const RESPONSE_TEXT: Record<number, string> = {
  429: 'rate_limited: too many requests; error.retryAfterSeconds (and the Retry-After header) says when to try again',
  400: 'invalid_argument: a field is missing or wrong (error.fields names each), or the body is not JSON (reason malformed_json)',
  401: 'unauthorized: no token, or an unknown or revoked one',
  403: "forbidden: the token's role may not do this",
  404: 'not_found: no such record, route or tool',
  409: 'conflict: the Idempotency-Key was used for a different request, or the record changed',
  422: 'not_eligible: a business rule refused; error.reason names the rule and error.policy quotes the policy',
  500: 'internal: a fault on the server, logged there; nothing about it is sent',
};

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Every error answer',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: true,
      description: 'What went wrong',
      properties: {
        code: {
          type: 'string',
          enum: [...ERROR_CODES, 'internal'],
          description: `Stable error code; HTTP status: ${Object.entries(HTTP_STATUS)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}, internal 500`,
        },
        message: { type: 'string', description: 'Safe to show a person; says what to do' },
        reason: {
          type: 'string',
          description:
            'For not_eligible: the rule that refused (e.g. return_window_expired); malformed_json for an unreadable body',
        },
        policy: { type: 'string', description: 'For not_eligible: the sentence of policy that applies' },
        fields: {
          type: 'array',
          description: 'For invalid_argument: every field at fault',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: {
              path: { type: 'string', description: 'Dotted field path, e.g. items.0.quantity' },
              message: { type: 'string', description: 'What is wrong with it' },
            },
          },
        },
      },
    },
  },
};

const CHALLENGE_HEADER = {
  description: `On a token-protected route (RFC 6750): \`${BEARER_CHALLENGE}\`, with \`error="invalid_token"\` for an unknown or revoked token`,
  schema: { type: 'string' },
};

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A key unique to this request (1–200 characters). A retry with the same key and body returns the first result; the same key with another body is a 409.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

const PATH_PARAM_TEXT: Record<string, string> = {
  id: 'The record id (prefixed, e.g. cus_…, ord_…, ret_…, cnv_…, run_…); an order also by number (%231001), a return by tracking id (RT-…)',
  name: 'Tool name, e.g. get_order_details',
  ref: 'Order id (ord_…) or order number (#1001, URL-encoded as %231001, or 1001)',
  key: 'Template key, e.g. order_canceled',
  stepId: 'The id of the current step of the run',
};

function errorResponses(codes: readonly number[]) {
  return Object.fromEntries(
    [...codes, 500].map((s) => [String(s), { $ref: `#/components/responses/${RESPONSE_NAME[s]}` }]),
  );
}

/** The one builder of an operation: a route definition's, a tool's REST route's, or a tool's. */
function operation(d: OperationDoc) {
  const params: object[] = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description: PATH_PARAM_TEXT[m[1]!] ?? m[1],
    schema: { type: 'string' },
  }));
  if (d.query) {
    const q = body(d.query);
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(q.properties as Record<string, JsonSchema>)) {
      params.push({ name, in: 'query', required: required.has(name), description: schema.description ?? name, schema });
    }
  }
  if (d.idempotent ?? d.method !== 'get') params.push(IDEMPOTENCY_HEADER);
  const json = d.body && (d.body instanceof z.ZodType ? body(d.body) : d.body);
  const answer = (a: Answer) => ({
    description: a.description,
    ...(a.schema
      ? {
          content: {
            [a.mediaType ?? 'application/json']: {
              schema: a.schema instanceof z.ZodType ? jsonSchema(a.schema, 'output') : a.schema,
            },
          },
        }
      : {}),
  });
  return {
    operationId: d.operationId,
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    tags: [d.tag],
    ...d.extensions,
    ...(d.refusals?.length ? { 'x-sopdesk-refusals': d.refusals } : {}),
    ...(d.public ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(json
      ? {
          requestBody: {
            // A body that may be empty is required only when it has a required field.
            required: !d.emptyBody || ((json.required as string[] | undefined) ?? []).length > 0,
            content: { 'application/json': { schema: json } },
          },
        }
      : {}),
    ...(d.rawBody ? { requestBody: { required: true, content: d.rawBody } } : {}),
    responses: {
      ...Object.fromEntries([d.ok, ...(d.alsoOk ?? [])].map((a) => [String(a.status), answer(a)])),
      ...(d.accepted ? { '202': approvalResponse() } : {}),
      ...errorResponses(d.errors ?? (d.method === 'get' ? READ_ERRORS : WRITE_ERRORS)),
    },
  };
}

/** A write above its caller's limits: 202 and the approval request it became (docs/approvals.md). */
function approvalResponse() {
  return {
    description:
      "Accepted, not done: the action is above the caller's limits and waits for a person's approval (docs/approvals.md)",
    content: { 'application/json': { schema: jsonSchema(ApprovalRequiredOut, 'output') } },
  };
}

/** The REST route of an operation definition. */
function restDoc({ tool, rest, body }: RestOperation): OperationDoc {
  const write = rest.method !== 'get';
  return {
    method: rest.method,
    path: `/v1${rest.path}`,
    operationId: rest.operationId,
    summary: rest.summary,
    tag: rest.tag,
    description: operationText(tool.description, tool.refusals ?? []),
    refusals: tool.refusals ?? [],
    ...(body ? { body } : {}),
    accepted: write,
    ok: {
      status: 200,
      description: write ? 'The preview and, unless dryRun, the result read back' : 'The answer',
      schema: tool.output,
    },
    errors: write ? ACTION_ERRORS : READ_ERRORS,
  };
}

/** An operation's description: the text, then its refusals as a table (error.reason of a 422). */
function operationText(text: string, refusals: readonly Refusal[]): string {
  return refusals.length
    ? `${text}\n\nRefusals (422 not_eligible; error.reason names the rule):\n\n${refusalTable(refusals)}`
    : text;
}

/** POST /v1/tools/{name} of one tool. */
function toolDoc(tool: ToolDefinition): OperationDoc {
  const { input, output } = toolSchemas(tool);
  const h = tool.hints;
  const hints = [
    h.readOnly ? 'read-only' : 'changes data',
    h.destructive ? 'destructive: preview with dryRun and confirm first' : '',
    h.idempotent ? 'idempotent' : '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    method: 'post',
    path: `/v1/tools/${tool.name}`,
    operationId: tool.name,
    summary: tool.title,
    description: `${tool.description}\n\n(${hints}.) Also callable over MCP as \`${tool.name}\`.`,
    tag: 'tools',
    extensions: { 'x-sopdesk-hints': h },
    ...(tool.refusals ? { refusals: tool.refusals } : {}),
    // An empty body means "no arguments".
    body: input,
    emptyBody: true,
    idempotent: !h.readOnly,
    accepted: !h.readOnly,
    ok: { status: 200, description: 'The tool output', schema: output },
    errors: h.readOnly ? [400, 401, 403, 404] : [400, 401, 403, 404, 409, 422],
  };
}

/** `tools`: the catalogue served at /v1/tools; `operations`: the definitions whose REST routes the app mounts. */
export function openApiDocument(tools: readonly ToolDefinition[], operations: readonly ToolDefinition[] = tools) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of [...ROUTES, ...restOperations(operations).map(restDoc), ...tools.map(toolDoc)])
    (paths[d.path] ??= {})[d.method] = operation(d);
  return {
    openapi: '3.1.0',
    info: {
      title: 'sopdesk API',
      version: '0.1.0',
      description:
        'Order support desk: read the order system of record and run guarded actions. Every tool is also served over MCP (stdio: `sopdesk mcp`; Streamable HTTP: POST /mcp). Money is in integer minor units. See docs/api.md.',
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearer: [] }],
    tags: [
      { name: 'system', description: 'Health and this document' },
      { name: 'customers', description: 'Customer and order reads' },
      { name: 'orders', description: 'Order reads' },
      { name: 'ingest', description: 'What a storefront, payment provider or carrier tells sopdesk' },
      { name: 'tokens', description: 'API tokens (admin)' },
      { name: 'users', description: 'People who sign in with a password (admin)' },
      { name: 'webhooks', description: 'Outbound webhook subscriptions and their delivery logs (admin)' },
      {
        name: 'approvals',
        description:
          'The approval policy (what each kind of actor may do alone) and the approval requests of actions above it',
      },
      {
        name: 'actions',
        description: 'Guarded order actions (cancel, refund): dryRun previews, Idempotency-Key makes a retry safe',
      },
      { name: 'returns', description: 'Returns: eligibility, the return lifecycle, return-window rules' },
      {
        name: 'inbox',
        description: 'The Agent Inbox: conversations, the human queue (handoffs), macros, confirmation templates',
      },
      { name: 'store', description: 'Whole-store snapshot import and export (admin)' },
      {
        name: 'connectors',
        description:
          'Webhooks of outside systems (Shopify), each signed by its sender instead of an API token; see docs/connectors.md',
      },
      { name: 'session', description: 'Signing in and out of the web UI' },
      {
        name: 'widget',
        description:
          'The storefront chat widget and its public API: allowed origins only, a visitor token instead of an API token; see docs/chat-widget.md',
      },
      { name: 'sops', description: 'Standard operating procedures and their runs (guided mode)' },
      {
        name: 'ai',
        description: 'The AI agent: whether it is on, its turns on a conversation with their traces, pause and resume',
      },
      {
        name: 'simulations',
        description: 'Simulated customers talking to the AI agent on trial stores: runs, pass^k, transcripts',
      },
      {
        name: 'tools',
        description: 'The agent tool catalogue: POST /v1/tools/{name} with the arguments as the JSON body',
      },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token: `sopdesk token create --role agent`' },
      },
      schemas: { Error: ERROR_SCHEMA },
      responses: Object.fromEntries(
        Object.entries(RESPONSE_NAME).map(([s, name]) => [
          name,
          {
            description: RESPONSE_TEXT[Number(s)],
            ...(s === '401' ? { headers: { 'WWW-Authenticate': CHALLENGE_HEADER } } : {}),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  };
}

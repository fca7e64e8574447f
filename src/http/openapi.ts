/**
 * The OpenAPI 3.1 document at /openapi.json, generated from the zod schemas the routes validate with and
 * from the tool catalogue (one operation per tool). JSON Schema 2020-12 is OpenAPI 3.1's own dialect.
 */
import { z } from 'zod';
import { CustomerInput, OrderInput, PackageInput, ProductInput, TransactionInput } from '../app/ingest/schemas.js';
import { ERROR_CODES } from '../kernel/errors.js';
import type { ToolDefinition } from '../tools/define.js';
import { toolSchemas, type JsonSchema } from '../tools/json-schema.js';
import { ProductCodesOut } from '../tools/change-outputs.js';
import { OrdersQuery, SearchQuery } from './routes/customers.js';
import { ShipmentUpdateInput } from './routes/ingest.js';
import { ProductCodesQuery } from './routes/product-codes.js';
import { TokenCreateInput } from './routes/tokens.js';
import { ApprovalRequiredOut } from '../app/approvals/schemas.js';
import { HTTP_STATUS } from './errors.js';
import { BEARER_CHALLENGE } from './auth.js';
import { ACTION_ERRORS, READ_ERRORS, ROUTE_DOCS, type RouteDoc } from './route-docs.js';
import { CustomerRecordOut } from '../app/customers/customer.schemas.js';
import { OrdersSummaryOut, OrderViewOut } from '../app/orders/order-view.schemas.js';
import { ProductOut, TokenCreatedOut, TokenOut, ToolOut } from './answers.js';
import { restOperations, type RestOperation } from './operations.js';
import { refusalTable, type Refusal } from '../tools/refusals.js';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _d, ...rest } = z.toJSONSchema(schema, { io }) as JsonSchema;
  return rest;
};
const body = (schema: z.ZodType) => jsonSchema(schema, 'input');

const CUSTOMER = jsonSchema(CustomerRecordOut, 'output');
const ORDER = jsonSchema(OrderViewOut, 'output');
const PRODUCT = jsonSchema(ProductOut, 'output');
const TOOL = jsonSchema(ToolOut, 'output');
const TOKEN = jsonSchema(TokenOut, 'output');
const OPENAPI: JsonSchema = {
  type: 'object',
  description: 'An OpenAPI 3.1 document',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', description: 'The OpenAPI version, 3.1.0' },
    info: { type: 'object', description: 'Title, version and description of the API' },
    paths: { type: 'object', description: 'Every operation, by path and method' },
    components: { type: 'object', description: 'Shared schemas, responses and security schemes' },
  },
};

const WRITE_ERRORS = [400, 401, 403, 404, 409];

const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Health check (no token needed)',
    tag: 'system',
    public: true,
    errors: [],
    ok: {
      status: 200,
      description: 'The server is up and its database migrated',
      schema: {
        type: 'object',
        properties: {
          status: { type: 'string', const: 'ok', description: 'Always ok' },
          database: { type: 'string', enum: ['embedded', 'server'], description: 'Which database runs' },
        },
        required: ['status', 'database'],
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document (no token needed)',
    tag: 'system',
    public: true,
    errors: [],
    ok: { status: 200, description: 'The OpenAPI 3.1 document', schema: OPENAPI },
  },
  {
    method: 'get',
    path: '/v1/customers',
    operationId: 'searchCustomers',
    summary: 'Find customers by email, by name and zip, by phone, or by system and external_id',
    tag: 'customers',
    query: SearchQuery,
    errors: [400, 401],
    ok: {
      status: 200,
      description: 'Matching customers (an empty list when none match)',
      schema: {
        type: 'object',
        properties: { customers: { type: 'array', items: CUSTOMER, description: 'Matches' } },
        required: ['customers'],
      },
    },
  },
  {
    method: 'get',
    path: '/v1/customers/{id}',
    operationId: 'getCustomer',
    summary: 'A customer',
    tag: 'customers',
    errors: [401, 404],
    ok: { status: 200, description: 'The customer', schema: CUSTOMER },
  },
  {
    method: 'get',
    path: '/v1/customers/{id}/orders',
    operationId: 'listCustomerOrders',
    summary: "A customer's orders, newest first",
    tag: 'customers',
    query: OrdersQuery,
    errors: [400, 401, 404],
    ok: {
      status: 200,
      description: 'Orders',
      schema: {
        type: 'object',
        properties: { orders: { type: 'array', items: ORDER, description: 'Orders, newest first' } },
        required: ['orders'],
      },
    },
  },
  {
    method: 'get',
    path: '/v1/customers/{id}/orders/summary',
    operationId: 'summarizeCustomerOrders',
    summary: "Sentences describing a customer's open (or all) orders",
    tag: 'customers',
    query: OrdersQuery,
    errors: [400, 401, 404],
    ok: { status: 200, description: 'Summary', schema: jsonSchema(OrdersSummaryOut, 'output') },
  },
  {
    method: 'get',
    path: '/v1/orders/{ref}',
    operationId: 'getOrder',
    summary: 'An order by id (ord_…) or number (%231001 or 1001)',
    tag: 'orders',
    errors: [401, 404],
    ok: { status: 200, description: 'The order', schema: ORDER },
  },
  {
    method: 'post',
    path: '/v1/customers',
    operationId: 'upsertCustomer',
    summary: 'Create a customer, or update one (with id)',
    tag: 'ingest',
    body: CustomerInput,
    idempotent: true,
    errors: WRITE_ERRORS,
    ok: { status: 201, description: 'Created (200 when updated)', schema: CUSTOMER },
  },
  {
    method: 'post',
    path: '/v1/products',
    operationId: 'upsertProduct',
    summary: 'Create a product with variants, or update one (with id)',
    tag: 'ingest',
    body: ProductInput,
    idempotent: true,
    errors: WRITE_ERRORS,
    ok: { status: 201, description: 'Created (200 when updated)', schema: PRODUCT },
  },
  {
    method: 'get',
    path: '/v1/products/{id}',
    operationId: 'getProduct',
    summary: 'A product with its variants',
    tag: 'ingest',
    errors: [401, 404],
    ok: { status: 200, description: 'The product', schema: PRODUCT },
  },
  {
    method: 'post',
    path: '/v1/orders',
    operationId: 'createOrder',
    summary: 'Record an order placed in a channel',
    tag: 'ingest',
    body: OrderInput,
    idempotent: true,
    errors: WRITE_ERRORS,
    ok: { status: 201, description: 'The order', schema: ORDER },
  },
  {
    method: 'post',
    path: '/v1/orders/{id}/transactions',
    operationId: 'recordPayment',
    summary:
      'Record a payment transaction (authorization, capture, sale, refund, void); the order by id, number or channel reference',
    tag: 'ingest',
    body: TransactionInput,
    idempotent: true,
    errors: WRITE_ERRORS,
    ok: { status: 201, description: 'The order after the payment', schema: ORDER },
  },
  {
    method: 'post',
    path: '/v1/orders/{id}/packages',
    operationId: 'createFulfillment',
    summary: 'Record a package shipped for an order (by id, number or channel reference)',
    tag: 'ingest',
    body: PackageInput,
    idempotent: true,
    errors: WRITE_ERRORS,
    ok: { status: 201, description: 'The order after the shipment', schema: ORDER },
  },
  {
    method: 'patch',
    path: '/v1/packages/{id}',
    operationId: 'updateShipment',
    summary: "Update a package's shipment status",
    tag: 'ingest',
    body: ShipmentUpdateInput,
    idempotent: true,
    errors: WRITE_ERRORS,
    ok: { status: 200, description: 'The order after the update', schema: ORDER },
  },
  {
    method: 'get',
    path: '/v1/product-codes',
    operationId: 'lookUpProductCodes',
    summary: "A customer's product (access) codes, by email, IMS id or customer id (as the get_product_codes tool)",
    tag: 'customers',
    query: ProductCodesQuery,
    errors: [400, 401, 404],
    ok: {
      status: 200,
      description:
        'The customer and their codes: active first (newest first), then revoked ones when includeRevoked=true',
      schema: jsonSchema(ProductCodesOut, 'output'),
    },
  },
  {
    method: 'get',
    path: '/v1/tokens',
    operationId: 'listTokens',
    summary: 'Every API token (admin)',
    tag: 'tokens',
    errors: [401, 403],
    ok: {
      status: 200,
      description: 'Tokens',
      schema: {
        type: 'object',
        properties: { tokens: { type: 'array', items: TOKEN, description: 'Oldest first' } },
        required: ['tokens'],
      },
    },
  },
  {
    method: 'post',
    path: '/v1/tokens',
    operationId: 'createToken',
    summary: 'Make an API token (admin); the secret is returned once',
    tag: 'tokens',
    body: TokenCreateInput,
    idempotent: true,
    errors: [400, 401, 403, 409],
    ok: { status: 201, description: 'The token, with its secret', schema: jsonSchema(TokenCreatedOut, 'output') },
  },
  {
    method: 'delete',
    path: '/v1/tokens/{id}',
    operationId: 'revokeToken',
    summary: 'Revoke an API token (admin)',
    tag: 'tokens',
    errors: [401, 403, 404],
    ok: { status: 200, description: 'The revoked token', schema: TOKEN },
  },
  {
    method: 'get',
    path: '/v1/tools',
    operationId: 'listTools',
    summary: 'The tool catalogue: name, title, description, input and output JSON Schema, hints',
    tag: 'tools',
    errors: [401],
    ok: {
      status: 200,
      description: 'Every tool',
      schema: {
        type: 'object',
        properties: { tools: { type: 'array', description: 'Tools', items: TOOL } },
        required: ['tools'],
      },
    },
  },
  {
    method: 'get',
    path: '/v1/tools/{name}',
    operationId: 'getTool',
    summary: "One tool's description, schemas and hints",
    tag: 'tools',
    errors: [401, 404],
    ok: { status: 200, description: 'The tool', schema: TOOL },
  },
];

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

function errorResponses(codes: number[]) {
  return Object.fromEntries(
    [...codes, 500].map((s) => [String(s), { $ref: `#/components/responses/${RESPONSE_NAME[s]}` }]),
  );
}

function routeOperation(r: RouteDoc) {
  const params: object[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description: PATH_PARAM_TEXT[m[1]!] ?? m[1],
    schema: { type: 'string' },
  }));
  if (r.query) {
    const q = body(r.query);
    const required = new Set((q.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(q.properties as Record<string, JsonSchema>)) {
      params.push({ name, in: 'query', required: required.has(name), description: schema.description ?? name, schema });
    }
  }
  if (r.idempotent) params.push(IDEMPOTENCY_HEADER);
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(r.description ? { description: r.description } : {}),
    tags: [r.tag],
    ...(r.refusals?.length ? { 'x-sopdesk-refusals': r.refusals } : {}),
    ...(r.public ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: body(r.body) } } } } : {}),
    ...(r.rawBody ? { requestBody: { required: true, content: r.rawBody } } : {}),
    responses: {
      [String(r.ok.status)]: {
        description: r.ok.description,
        ...(r.ok.schema
          ? {
              content: {
                [r.ok.mediaType ?? 'application/json']: {
                  schema: r.ok.schema instanceof z.ZodType ? jsonSchema(r.ok.schema, 'output') : r.ok.schema,
                },
              },
            }
          : {}),
      },
      ...(r.accepted ? { '202': approvalResponse() } : {}),
      ...errorResponses(r.errors),
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

/** The REST route of an operation definition, as a route entry. */
function restDoc({ tool, rest, body }: RestOperation): RouteDoc {
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
    idempotent: write,
    ...(write ? { accepted: true } : {}),
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

function toolOperation(tool: ToolDefinition) {
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
    operationId: tool.name,
    summary: tool.title,
    description: `${tool.description}\n\n(${hints}.) Also callable over MCP as \`${tool.name}\`.`,
    tags: ['tools'],
    'x-sopdesk-hints': h,
    ...(tool.refusals?.length ? { 'x-sopdesk-refusals': tool.refusals } : {}),
    ...(h.readOnly ? {} : { parameters: [IDEMPOTENCY_HEADER] }),
    // An empty body means "no arguments": required only when the tool has a required argument.
    requestBody: {
      required: ((input.required as string[] | undefined) ?? []).length > 0,
      content: { 'application/json': { schema: input } },
    },
    responses: {
      '200': { description: 'The tool output', content: { 'application/json': { schema: output } } },
      ...(h.readOnly ? {} : { '202': approvalResponse() }),
      ...errorResponses(h.readOnly ? [400, 401, 403, 404] : [400, 401, 403, 404, 409, 422]),
    },
  };
}

/** `tools`: the catalogue served at /v1/tools; `operations`: the definitions whose REST routes the app mounts. */
export function openApiDocument(tools: readonly ToolDefinition[], operations: readonly ToolDefinition[] = tools) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of [...ROUTES, ...restOperations(operations).map(restDoc), ...ROUTE_DOCS])
    (paths[r.path] ??= {})[r.method] = routeOperation(r);
  for (const t of tools) paths[`/v1/tools/${t.name}`] = { post: toolOperation(t) };
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

/**
 * The tool catalogue as an MCP server (official SDK, low-level Server), for stdio and Streamable HTTP.
 * Three kinds of error, the MCP way:
 *  - unknown tool or arguments that fail the input schema → a JSON-RPC protocol error (InvalidParams);
 *  - a DomainError (business refusal, not found, conflict, forbidden) → a normal tool result with
 *    isError, text a model can act on, and structuredContent { code, reason, policy, message };
 *  - anything else → isError with a generic message; the cause is logged here and never sent.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import { excerptText, faultForLog } from '../kernel/text.js';
import {
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { AppContext } from '../app/context.js';
import { type DomainError, ERROR_CODES, isDomainError } from '../kernel/errors.js';
import { listedTools, TOOLS } from '../tools/catalogue.js';
import type { ToolDefinition } from '../tools/define.js';
import { ApprovalRequiredOut } from '../app/approvals/schemas.js';
import {
  authorizeTool,
  isApprovalRequired,
  parseToolArguments,
  runTool,
  withCustomer,
  type Caller,
} from '../tools/invoke.js';
import { SOP_CALL_FIX, SOP_CALL_REFUSALS } from '../tools/sop.js';
import { toolSchemas, type JsonSchema } from '../tools/json-schema.js';

export const SERVER_INFO = { name: 'sopdesk', title: 'sopdesk order support', version: '0.1.0' } as const;

const INSTRUCTIONS = `sopdesk is the order system of record for customer support. Identify the customer first (find_customer_by_email),
then read orders (active_orders, summarize_orders, get_order_details, get_item_details, get_package_details) before any action.
Every rule is enforced by the tools: a refusal comes back as an error result with a reason code and the policy sentence — tell the
customer what the policy says, do not retry the same call. Preview destructive actions with dryRun: true and ask the customer to confirm.`;

/** The structuredContent of an error result. */
export const TOOL_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'An error result (isError: true)',
  properties: {
    code: { type: 'string', enum: [...ERROR_CODES, 'internal'], description: 'Error code' },
    reason: { type: 'string', description: 'For not_eligible: the rule that refused, e.g. return_window_expired' },
    policy: { type: 'string', description: 'The sentence of policy that applies; tell it to the customer' },
    message: { type: 'string', description: 'What went wrong and what to do next' },
    details: {
      type: 'object',
      additionalProperties: true,
      description:
        'The facts behind the error, as the REST error carries them: for not_found the entity and id; for not_eligible what the rule looked at (itemId, window, returnableQuantity, refundable, fromPrice and toPrice, …)',
    },
  },
  required: ['code', 'message'],
  additionalProperties: false,
};

/**
 * The advertised output schema: the tool's own, or the error shape. SDK clients up to at least 1.32
 * validate structuredContent against outputSchema even on isError results (typescript-sdk #1943), so a
 * refusal must match too or the client would throw it away.
 */
function mcpOutputSchema(tool: ToolDefinition, output: JsonSchema): Tool['outputSchema'] {
  const outcomes = tool.hints.readOnly
    ? [output, TOOL_ERROR_SCHEMA]
    : [output, APPROVAL_REQUIRED_SCHEMA, TOOL_ERROR_SCHEMA];
  return { type: 'object', anyOf: outcomes } as Tool['outputSchema'];
}

/** The structuredContent of a write that waits for a person's approval (not an error: nothing was refused). */
const APPROVAL_REQUIRED_SCHEMA: JsonSchema = (() => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(ApprovalRequiredOut, { io: 'output' }) as JsonSchema;
  return rest;
})();

export function mcpTool(tool: ToolDefinition): Tool {
  const { input, output } = toolSchemas(tool);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: input as Tool['inputSchema'],
    outputSchema: mcpOutputSchema(tool, output),
    annotations: {
      title: tool.title,
      readOnlyHint: tool.hints.readOnly,
      destructiveHint: tool.hints.destructive,
      idempotentHint: tool.hints.idempotent,
      openWorldHint: false,
    },
  };
}

function errorText(e: DomainError): string {
  const d = e.details;
  switch (e.code) {
    case 'not_eligible':
      if (SOP_CALL_REFUSALS.includes(d.reason ?? ''))
        return `Refused by the SOP run (${d.reason}): ${e.message} ${SOP_CALL_FIX}`;
      return `Refused by policy (${d.reason ?? 'not_eligible'}): ${e.message}${d.policy ? ` Policy: ${d.policy}` : ''} Do not retry the same call; explain the policy to the customer or transfer to a human.`;
    case 'not_found':
      return `Not found: ${e.message}`;
    case 'conflict':
      return `Conflict: ${e.message}`;
    case 'forbidden':
    case 'unauthorized':
      return `Not allowed: ${e.message}`;
    case 'invalid_argument':
      return `Invalid argument: ${e.message}`;
    case 'rate_limited':
      return `Too many attempts: ${e.message}`;
    case 'payload_too_large':
    case 'unsupported_media_type':
      return `Request refused: ${e.message}`;
  }
}

export function domainErrorResult(e: DomainError): CallToolResult {
  const structured: Record<string, unknown> = { code: e.code, message: e.message };
  if (typeof e.details.reason === 'string') structured.reason = e.details.reason;
  if (typeof e.details.policy === 'string') structured.policy = e.details.policy;
  const { reason: _reason, policy: _policy, ...facts } = e.details;
  if (Object.keys(facts).length) structured.details = facts;
  return { isError: true, content: [{ type: 'text', text: errorText(e) }], structuredContent: structured };
}

/**
 * A JSON-RPC protocol error whose message is just the text. The SDK's McpError prefixes its message with
 * `MCP error <code>:`, which goes over the wire as the error's message; an SDK client then prefixes it
 * again (`MCP error -32602: MCP error -32602: …`), and every other client shows the prefix as the text.
 */
export class ProtocolError extends McpError {
  constructor(code: number, message: string, data?: unknown) {
    super(code, message, data);
    this.message = message;
  }
}

const INTERNAL_MESSAGE =
  'The tool failed because of a fault on the server. It has been logged. Try again later, or transfer the customer to a human.';

/** tools/call as the transport delivers it; its params are checked by `callParams`, which names what is wrong. */
const LooseCallToolRequestSchema = z.object({ method: z.literal('tools/call'), params: z.unknown() });

/** A tools/call's params: `{ name, arguments? }`, or InvalidParams saying which part is wrong and what is expected. */
function callParams(params: unknown): { name: string; arguments: unknown } {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new ProtocolError(
      ErrorCode.InvalidParams,
      'tools/call needs params { "name": "<tool>", "arguments": { … } }.',
    );
  }
  const p = params as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name === '') {
    throw new ProtocolError(
      ErrorCode.InvalidParams,
      'params.name must be the name of a tool (a string); tools/list gives the catalogue.',
      { fields: [{ path: 'name', message: 'a tool name' }] },
    );
  }
  const args = p.arguments;
  if (args !== undefined && args !== null && (typeof args !== 'object' || Array.isArray(args))) {
    throw new ProtocolError(
      ErrorCode.InvalidParams,
      `params.arguments must be a JSON object of the tool's arguments, not ${Array.isArray(args) ? 'an array' : `a ${typeof args}`}.`,
      {
        fields: [{ path: 'arguments', message: 'a JSON object' }],
      },
    );
  }
  return { name: p.name, arguments: args };
}

export interface McpServerOptions {
  caller: Caller;
  tools?: readonly ToolDefinition[] | undefined;
  /** Where unexpected faults go (stderr by default: stdout carries the stdio protocol). */
  logFault?: ((tool: string, err: unknown) => void) | undefined;
}

export function createMcpServer(ctx: AppContext, opts: McpServerOptions): Server {
  const tools = opts.tools ?? TOOLS;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const logFault =
    opts.logFault ?? ((tool, err) => console.error(`sopdesk mcp: tool ${tool} failed\n${faultForLog(err)}`));
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listedTools(ctx, tools).map(mcpTool) }));

  // Registered on the base class: the SDK's Server validates tools/call params with its own zod schema first, and a
  // client's `arguments: "text"` then became -32603 "internal error" with a zod dump. callParams names the problem.
  Protocol.prototype.setRequestHandler.call(
    server,
    LooseCallToolRequestSchema,
    async (req): Promise<CallToolResult> => {
      const params = callParams(req.params);
      const tool = byName.get(params.name);
      if (!tool)
        throw new ProtocolError(
          ErrorCode.InvalidParams,
          `Unknown tool: ${excerptText(params.name, 100)}. tools/list gives the catalogue.`,
        );
      let parsed: ReturnType<typeof parseToolArguments>;
      try {
        parsed = parseToolArguments(tool, params.arguments);
      } catch (e) {
        if (isDomainError(e))
          throw new ProtocolError(ErrorCode.InvalidParams, `Invalid arguments for ${tool.name}: ${e.message}`, {
            fields: e.details.fields,
          });
        throw e;
      }
      try {
        authorizeTool(tool, opts.caller);
        const caller = withCustomer(opts.caller, parsed.customerId);
        const output = await runTool(ctx, tool, parsed.input, caller, parsed.idempotencyKey);
        const text = isApprovalRequired(output)
          ? `Approval required (${output.approvalRequired.id}): ${output.approvalRequired.message}`
          : JSON.stringify(output);
        return { content: [{ type: 'text', text }], structuredContent: output as Record<string, unknown> };
      } catch (e) {
        if (isDomainError(e)) return domainErrorResult(e);
        logFault(tool.name, e);
        return {
          isError: true,
          content: [{ type: 'text', text: INTERNAL_MESSAGE }],
          structuredContent: { code: 'internal', message: INTERNAL_MESSAGE },
        };
      }
    },
  );
  return server;
}

/**
 * One definition per operation, served from the same object: the tool (REST /v1/tools/{name}, MCP over stdio and
 * Streamable HTTP, SOP steps), its own REST route when it has `rest` (e.g. POST /v1/orders/{id}/cancel), and their
 * OpenAPI operations (/openapi.json). Input and output schemas, refusals, hints and roles are declared once, here.
 * Descriptions are written for a language model.
 */
import type { z } from 'zod';
import type { AppContext, WriteOptions } from '../app/context.js';
import type { ActionOptions } from '../app/write.js';
import type { Actor } from '../domain/timeline.js';
import type { Role } from '../domain/roles.js';
import type { RefundAmount } from '../domain/approval-policy.js';
import { refusalSentence, type Refusal } from './refusals.js';

/** Who calls a tool: their role (what they may call, which limits apply) and actor (whose action it is). */
export interface Caller {
  role: Role;
  actor: Actor;
  /**
   * The customer the caller acts for (an AI agent in that customer's conversation, a token bound to them, an API call
   * naming them): every record the call names must be this customer's (src/app/scope/customer-scope.ts).
   */
  customerId?: string | undefined;
  /** Checked in the transaction of every write the caller's calls make (`WriteOptions.precondition`). */
  precondition?: WriteOptions['precondition'];
}

export interface ToolHints {
  /** Reads only; never changes anything. */
  readOnly: boolean;
  /** May refund money, cancel or revoke: ask the customer to confirm first (use dryRun to preview). */
  destructive: boolean;
  /** Calling again with the same arguments (and idempotencyKey) has no further effect. */
  idempotent: boolean;
}

export interface ToolCall {
  ctx: AppContext;
  actor: Actor;
  /** From the caller (Idempotency-Key header, or the idempotencyKey argument). */
  idempotencyKey?: string | undefined;
  /** The caller, when an edge knows it: the SOP tools pass it on to the tools their steps call. */
  caller?: Caller | undefined;
}

/** The REST route of an operation, besides POST /v1/tools/{name}: the body is the input without the path's fields. */
export interface RestRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Under /v1, OpenAPI style: `/orders/{id}/cancel`. */
  path: string;
  /** Which input field each path parameter fills, e.g. `{ id: 'orderId' }`. */
  params: Readonly<Record<string, string>>;
  /** Unique also when camel-cased beside the tools' names (cancel_order → cancelOrder): `cancelOrderById`. */
  operationId: string;
  summary: string;
  /** The OpenAPI tag (see openapi.ts). */
  tag: string;
}

export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  /** What it does, then the refusals sentence written from `refusals`. */
  description: string;
  /** Every business refusal (`not_eligible` reason) it can give; none for reads. */
  refusals?: readonly Refusal[];
  rest?: RestRoute;
  input: I;
  output: O;
  hints: ToolHints;
  /** Roles allowed besides admin; default: every role for read-only tools, agent and ai_agent for writes. */
  roles?: readonly Role[];
  /**
   * Whether the tool is listed to agents (GET /v1/tools, MCP tools/list) in this context, e.g. only when the outside
   * service it needs is configured; absent: always. It stays one definition: the SOP runner, OpenAPI and a call by name
   * still see it (a call then gets the tool's own refusal).
   */
  listed?(ctx: AppContext): boolean;
  /** Set false for a write tool that cannot be previewed (it then takes no dryRun argument). */
  previewable?: boolean;
  /**
   * The money the action gives back to the customer, read from its dry-run preview: what the approval policy's refund
   * limits count (src/tools/gate.ts). Absent: the action refunds nothing.
   */
  refundOf?(preview: unknown): RefundAmount | null;
  run(input: z.infer<I>, call: ToolCall): Promise<z.infer<O>>;
}

/** The definition as every edge reads it: the description ends with the refusals it can give. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  const refusals = def.refusals ?? [];
  return refusals.length ? { ...def, description: `${def.description} ${refusalSentence(refusals)}` } : def;
}

export const READ: ToolHints = { readOnly: true, destructive: false, idempotent: true };
export const WRITE: ToolHints = { readOnly: false, destructive: false, idempotent: true };
export const DESTRUCTIVE: ToolHints = { readOnly: false, destructive: true, idempotent: true };

/** The write options of a use case, from the tool call: its actor, key and its caller's precondition. */
export function writeOptions(call: ToolCall): WriteOptions {
  return { actor: call.actor, idempotencyKey: call.idempotencyKey, precondition: call.caller?.precondition };
}

/** The write options of an action, from the tool call and its dryRun argument. */
export function actionOptions(call: ToolCall, dryRun: boolean): ActionOptions {
  return { ...writeOptions(call), dryRun };
}

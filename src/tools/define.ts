/**
 * One definition per agent tool, served three ways from the same object: REST (/v1/tools), OpenAPI
 * (/openapi.json) and MCP (stdio and Streamable HTTP). Descriptions are written for a language model.
 */
import type { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { ActionOptions } from '../app/write.js';
import type { Actor } from '../domain/timeline.js';
import type { Role } from '../app/tokens/tokens.js';

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
}

export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  hints: ToolHints;
  /** Roles allowed besides admin; default: every role for read-only tools, agent and ai_agent for writes. */
  roles?: readonly Role[];
  /** Set false for a write tool that cannot be previewed (it then takes no dryRun argument). */
  previewable?: boolean;
  run(input: z.infer<I>, call: ToolCall): Promise<z.infer<O>>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return def;
}

export const READ: ToolHints = { readOnly: true, destructive: false, idempotent: true };
export const WRITE: ToolHints = { readOnly: false, destructive: false, idempotent: true };
export const DESTRUCTIVE: ToolHints = { readOnly: false, destructive: true, idempotent: true };

/** The write options of a use case, from the tool call and its dryRun argument. */
export function actionOptions(call: ToolCall, dryRun: boolean): ActionOptions {
  return { actor: call.actor, idempotencyKey: call.idempotencyKey, dryRun };
}

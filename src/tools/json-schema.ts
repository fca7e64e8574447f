/** The JSON Schemas of a tool, as REST (/v1/tools), OpenAPI and MCP serve them. Computed once per tool. */
import { z } from 'zod';
import type { ToolDefinition } from './define.js';

export type JsonSchema = Record<string, unknown>;

export interface ToolSchemas {
  /** What the caller sends; write tools also list the optional idempotencyKey the serving layer strips. */
  input: JsonSchema;
  output: JsonSchema;
}

export const IDEMPOTENCY_KEY_ARG = 'idempotencyKey';
/** The customer an API caller acts for, on writes that take no customerId of their own (see `takesScopeArg`). */
export const SCOPE_ARG = 'customerId';

/** A write that names no customer of its own takes the optional scoping `customerId` argument. */
export function takesScopeArg(tool: ToolDefinition): boolean {
  return !tool.hints.readOnly && !(tool.input instanceof z.ZodObject && SCOPE_ARG in tool.input.shape);
}

export const SCOPE_ARG_DESCRIPTION =
  "Optional: the customer (cus_…) this call acts for. Every order, item, return and payment method the call names must be this customer's, else it is refused as not found (reason outside_customer_scope) and nothing changes.";

const cache = new WeakMap<ToolDefinition, ToolSchemas>();

function convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'throw' }) as JsonSchema;
  return rest;
}

export function toolSchemas(tool: ToolDefinition): ToolSchemas {
  const hit = cache.get(tool);
  if (hit) return hit;
  const input = convert(tool.input, 'input');
  if (!tool.hints.readOnly) {
    input.properties = {
      ...(input.properties as Record<string, unknown> | undefined),
      [IDEMPOTENCY_KEY_ARG]: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description:
          'Optional: a key unique to this request (e.g. a UUID). A retry with the same key and arguments returns the first result and changes nothing; the same key with other arguments is refused. Over HTTP the Idempotency-Key header does the same.',
      },
      ...(takesScopeArg(tool)
        ? {
            [SCOPE_ARG]: {
              type: 'string',
              pattern: '^cus_[0-9a-z]{4,40}$',
              description: SCOPE_ARG_DESCRIPTION,
            },
          }
        : {}),
    };
  }
  const schemas = { input, output: convert(tool.output, 'output') };
  cache.set(tool, schemas);
  return schemas;
}

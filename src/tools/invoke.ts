/**
 * Calling a catalogue tool, the same for every edge (REST, MCP, SOP steps): parse the arguments,
 * check the caller's role, run. Edges map the DomainErrors this throws; they add nothing else.
 */
import { assertAcceptableJson } from '../kernel/text.js';
import type { AppContext } from '../app/context.js';
import { WRITER_ROLES, type Role } from '../domain/roles.js';
import { fromZod, undeclaredError, undeclaredFields } from '../app/validate.js';
import { DomainError, invalid } from '../kernel/errors.js';
import type { Caller, ToolDefinition } from './define.js';
import { runTool } from './gate.js';
import { IDEMPOTENCY_KEY_ARG, SCOPE_ARG, takesScopeArg, toolSchemas } from './json-schema.js';
import { outsideScope } from '../domain/customer-scope.js';
import { customerIdArg } from '../app/args.js';

export type { Caller } from './define.js';
export { isApprovalRequired, runTool } from './gate.js';

/** Admin may call everything; others: the tool's `roles`, or every role for reads and the writer roles for writes. */
export function mayCall(tool: ToolDefinition, role: Role): boolean {
  if (role === 'admin') return true;
  if (tool.roles) return tool.roles.includes(role);
  return tool.hints.readOnly || WRITER_ROLES.includes(role);
}

export function authorizeTool(tool: ToolDefinition, caller: Caller): void {
  if (!mayCall(tool, caller.role)) {
    const why = tool.hints.readOnly ? '' : ': it changes data';
    throw new DomainError(
      'forbidden',
      `A ${caller.role} token may not call ${tool.name}${why}. Ask an admin for a token with the right role.`,
      { tool: tool.name },
    );
  }
}

export interface ParsedCall {
  input: unknown;
  idempotencyKey: string | undefined;
  /** The scoping `customerId` argument of a write that takes none of its own (`takesScopeArg`). */
  customerId?: string | undefined;
}

/**
 * The caller acting for `customerId` as well: a caller already bound to a customer may only name that one (another is
 * refused like any record outside its scope).
 */
export function withCustomer(caller: Caller, customerId: string | undefined): Caller {
  if (customerId === undefined) return caller;
  if (caller.customerId !== undefined && caller.customerId !== customerId) throw outsideScope('customer', customerId);
  return { ...caller, customerId };
}

/** The scoping `customerId` argument, taken out of the arguments of a write that takes none of its own. */
export function takeScopeArg(
  tool: ToolDefinition,
  args: Record<string, unknown>,
): { rest: Record<string, unknown>; customerId?: string } {
  if (!takesScopeArg(tool) || args[SCOPE_ARG] === undefined) return { rest: args };
  const { [SCOPE_ARG]: raw, ...rest } = args;
  const parsed = customerIdArg.safeParse(raw);
  if (!parsed.success) throw invalid(SCOPE_ARG, 'must be a customer id (cus_…)');
  return { rest, customerId: parsed.data };
}

/**
 * Validates raw arguments against the tool's input schema. `idempotencyKey` is taken out first (the
 * schema does not declare it); an argument the tool does not know is refused, so a misspelt `dry_run`
 * can never run a real action.
 */
export function parseToolArguments(tool: ToolDefinition, raw: unknown, headerKey?: string): ParsedCall {
  const args = raw === undefined || raw === null ? {} : raw;
  if (typeof args !== 'object' || Array.isArray(args))
    throw invalid('(arguments)', 'send the arguments as one JSON object');
  assertAcceptableJson(args, '(arguments)');
  const { [IDEMPOTENCY_KEY_ARG]: argKey, ...withScope } = args as Record<string, unknown>;
  const { rest, customerId } = takeScopeArg(tool, withScope);
  if (argKey !== undefined && (typeof argKey !== 'string' || argKey.length < 1 || argKey.length > 200)) {
    throw invalid(IDEMPOTENCY_KEY_ARG, 'must be a string of 1 to 200 characters');
  }
  if (argKey !== undefined && headerKey !== undefined && argKey !== headerKey) {
    throw invalid(IDEMPOTENCY_KEY_ARG, 'differs from the Idempotency-Key header; send one key');
  }
  const schema = toolSchemas(tool).input;
  const unknown = undeclaredFields(schema, rest);
  if (unknown.length > 0)
    throw undeclaredError(unknown, tool.name, { noun: 'argument', hidden: [IDEMPOTENCY_KEY_ARG] });
  const parsed = tool.input.safeParse(rest);
  if (!parsed.success) throw fromZod(parsed.error);
  return {
    input: parsed.data,
    idempotencyKey: headerKey ?? (argKey as string | undefined),
    ...(customerId ? { customerId } : {}),
  };
}

/**
 * Parse, authorize, run (`runTool`: the caller's customer scope, the approval policy, the tool). The answer is the
 * tool's output, or `{ approvalRequired }` when a person must approve the action first (`isApprovalRequired`).
 */
export async function invokeTool(
  ctx: AppContext,
  tool: ToolDefinition,
  raw: unknown,
  caller: Caller,
  headerKey?: string,
): Promise<unknown> {
  authorizeTool(tool, caller);
  const { input, idempotencyKey, customerId } = parseToolArguments(tool, raw, headerKey);
  return runTool(ctx, tool, input, withCustomer(caller, customerId), idempotencyKey);
}

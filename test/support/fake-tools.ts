/**
 * Tools that exist only in tests, to exercise the serving layer (REST, OpenAPI, MCP) with a write tool,
 * a business refusal and a server fault before the real action tools are in the catalogue.
 */
import { z } from 'zod';
import { TOOLS } from '../../src/tools/catalogue.js';
import { defineTool, DESTRUCTIVE, READ, WRITE, type ToolDefinition } from '../../src/tools/define.js';
import { orderIdArg } from '../../src/tools/schemas.js';
import { notEligible } from '../../src/kernel/errors.js';

const dryRun = z.boolean().default(false).describe('Preview only; change nothing');

export const refuseTool = defineTool({
  name: 'cancel_everything',
  title: 'Cancel (always refused)',
  description: 'A test tool that refuses every call the way an order action refuses a delivered order.',
  input: z.object({ orderId: orderIdArg, dryRun }),
  output: z.object({ canceled: z.boolean().describe('Never true') }),
  hints: DESTRUCTIVE,
  run: async () => {
    throw notEligible(
      'order_delivered',
      'This order has been delivered, so it cannot be canceled. Offer a return instead.',
      'Only orders that have not been delivered can be canceled.',
    );
  },
});

export const echoTool = defineTool({
  name: 'echo_caller',
  title: 'Echo the caller',
  description: 'A test write tool that answers with who called it, the idempotency key it got and its arguments.',
  input: z.object({ note: z.string().min(1).describe('Any text'), dryRun }),
  output: z.object({
    actorKind: z.string().describe('human, ai_agent or system'),
    actorId: z.string().nullable().describe('Token name'),
    idempotencyKey: z.string().nullable().describe('The key the serving layer passed'),
    note: z.string().describe('The note sent'),
    dryRun: z.boolean().describe('The dryRun sent'),
  }),
  hints: WRITE,
  run: async (input, call) => ({
    actorKind: call.actor.kind,
    actorId: call.actor.id ?? null,
    idempotencyKey: call.idempotencyKey ?? null,
    note: input.note,
    dryRun: input.dryRun,
  }),
});

export const brokenTool = defineTool({
  name: 'broken_read',
  title: 'Broken read',
  description: 'A test tool that fails with an unexpected error whose message must never reach the caller.',
  input: z.object({}),
  output: z.object({ ok: z.boolean().describe('Never returned') }),
  hints: READ,
  run: async () => {
    throw new Error('connection to 10.0.0.7 refused: password=hunter2');
  },
});

export const TEST_TOOLS: readonly ToolDefinition[] = [
  ...TOOLS,
  refuseTool,
  echoTool,
  brokenTool,
] as readonly ToolDefinition[];

/**
 * A small fake tool catalogue for SOP engine tests, built with defineTool. Writes go through write(),
 * so their idempotency keys behave as the real tools' do; `effects` counts what each one really did.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';
import { write } from '../../src/app/write.js';
import { defineTool, DESTRUCTIVE, READ, WRITE, type ToolDefinition } from '../../src/tools/define.js';
import { notEligible, notFound } from '../../src/kernel/errors.js';
import { SopEngine } from '../../src/sop/engine.js';
import { libraryOf } from '../../src/sop/library.js';
import { parseSop } from '../../src/sop/parser.js';
import { openTestContext } from './db.js';

export interface Fakes {
  catalogue: ToolDefinition[];
  effects: Record<string, number>;
  calls: { tool: string; args: unknown; key: string | undefined }[];
  /** Makes `marketplace_refund` fail: a refusal, or a system error. */
  failMarketplace: 'refuse' | 'crash' | false;
}

export function fakeCatalogue(): Fakes {
  const f: Fakes = { catalogue: [], effects: {}, calls: [], failMarketplace: false };
  const act = <I extends z.ZodObject>(name: string, input: I, hints = WRITE, effect?: (a: z.infer<I>) => void) =>
    defineTool({
      name,
      title: name,
      description: `fake ${name}`,
      input,
      output: z.unknown(),
      hints,
      async run(args, call) {
        f.calls.push({ tool: name, args, key: call.idempotencyKey });
        const a = args as Record<string, unknown>;
        if (a.dryRun) return { dryRun: true, preview: { would: name, args: { ...a, dryRun: undefined } } };
        return write(call.ctx, name, args, { actor: call.actor, idempotencyKey: call.idempotencyKey }, async () => {
          effect?.(args);
          f.effects[name] = (f.effects[name] ?? 0) + 1;
          return { dryRun: false, preview: {}, result: { id: `${name}_${f.effects[name]}` } };
        });
      },
    }) as unknown as ToolDefinition;
  f.catalogue = [
    defineTool({
      name: 'find_customer_by_email',
      title: 'Find customer',
      description: 'fake',
      hints: READ,
      input: z.object({ email: z.string().describe('email') }),
      output: z.unknown(),
      async run(args) {
        f.calls.push({ tool: 'find_customer_by_email', args, key: undefined });
        return { id: 'cus_fake0001', email: args.email, name: 'Mo' };
      },
    }) as unknown as ToolDefinition,
    defineTool({
      name: 'get_order_details',
      title: 'Order',
      description: 'fake',
      hints: READ,
      input: z.object({ orderId: z.string() }),
      output: z.unknown(),
      async run(args) {
        f.calls.push({ tool: 'get_order_details', args, key: undefined });
        return { id: 'ord_fake0001', name: args.orderId, paid: args.orderId !== '#1002', total: 5000 };
      },
    }) as unknown as ToolDefinition,
    defineTool({
      name: 'get_item_details',
      title: 'Item',
      description: 'fake: refuses items whose id starts li_gone',
      hints: READ,
      input: z.object({ itemId: z.string(), position: z.number().int().optional() }),
      output: z.unknown(),
      async run(args, call) {
        f.calls.push({ tool: 'get_item_details', args, key: call.idempotencyKey });
        if (args.itemId.startsWith('li_gone')) throw notFound('item', args.itemId);
        return { itemId: args.itemId, title: `Item ${args.itemId}`, position: args.position };
      },
    }) as unknown as ToolDefinition,
    act(
      'refund_order',
      z.object({
        orderId: z.string(),
        amount: z.number().int().optional(),
        reason: z.string(),
        dryRun: z.boolean().optional(),
      }),
      DESTRUCTIVE,
    ),
    act('reverse_refund', z.object({ refundId: z.string() })),
    act('marketplace_refund', z.object({ orderId: z.string(), dryRun: z.boolean().optional() }), DESTRUCTIVE, () => {
      if (f.failMarketplace === 'refuse')
        throw notEligible(
          'marketplace_closed',
          'The marketplace order is closed.',
          'Closed marketplace orders cannot be refunded.',
        );
      if (f.failMarketplace === 'crash') throw new Error('seller portal unreachable');
    }),
    act('transfer_to_human_representative', z.object({ customerId: z.string(), summary: z.string() })),
  ];
  return f;
}

export function library(...sources: string[]) {
  const docs = sources.map((s, i) => {
    const p = parseSop(s, `test-${i}.md`);
    if (!p.doc) throw new Error(p.issues.map((x) => `${x.line}: ${x.message}`).join('\n'));
    return p.doc;
  });
  return libraryOf(docs);
}

/**
 * For the tests of one file: a test context, opened before them and dropped after them, and `engine()`, a new engine on
 * it over the SOP texts given, with a fake catalogue of its own.
 */
export function sopEngineTestBed(...sources: string[]) {
  let ctx: Awaited<ReturnType<typeof openTestContext>> | undefined;
  beforeAll(async () => {
    ctx = await openTestContext();
  });
  afterAll(() => ctx?.drop());
  const context = () => ctx!;
  return {
    context,
    engine() {
      const fakes = fakeCatalogue();
      return {
        fakes,
        engine: new SopEngine({ ctx: context(), catalogue: fakes.catalogue, library: library(...sources) }),
      };
    },
  };
}

/** A refund across two systems: store refund (compensated by reverse_refund), then the marketplace refund. */
export const REFUND_SOP = readFileSync(new URL('../fixtures/sops/two-system-refund/sop.md', import.meta.url), 'utf8');

/** A run that waits for a return: received goes on, declined ends it with a message, canceled goes to its own end. */
export const RETURN_WAIT_SOP = readFileSync(new URL('../fixtures/return-wait.sop.md', import.meta.url), 'utf8');

/**
 * Stand-ins for the tools the built-in SOPs call, with the argument names agreed in the brief
 * (customerId, orderId, items: [{ itemId, quantity }], reason, email, summary, dryRun). The reads use
 * the foundation's use cases; the writes only check the main rule of each action and record nothing
 * but their idempotent result. They let the built-ins be linted and their scenarios run before the real
 * tool families are merged; after the merge, `sopdesk sop lint` and `sopdesk sop test` use TOOLS.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../src/app/context.js';
import { findCustomers } from '../../src/app/customers/find-customers.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { listCustomerOrders } from '../../src/app/orders/list-customer-orders.js';
import { summarizeOrders } from '../../src/app/orders/summarize-orders.js';
import { write } from '../../src/app/write.js';
import { findProductById } from '../../src/db/repo/catalog.js';
import { packages } from '../../src/db/schema/index.js';
import { DAY_MS } from '../../src/kernel/clock.js';
import { notEligible, notFound } from '../../src/kernel/errors.js';
import { defineTool, DESTRUCTIVE, READ, WRITE, type ToolCall, type ToolDefinition, type ToolHints } from '../../src/tools/define.js';

const customerId = z.string();
const orderId = z.string();
const items = z.array(z.object({ itemId: z.string(), quantity: z.number().int() }));
const dryRun = z.boolean().optional();

type Run<I> = (input: I, call: ToolCall) => Promise<unknown>;
const tool = <I extends z.ZodObject>(name: string, input: I, hints: ToolHints, run: Run<z.infer<I>>): ToolDefinition =>
  defineTool({ name, title: name, description: name, input, output: z.unknown(), hints, run: run as Run<unknown> }) as unknown as ToolDefinition;

/** An action: its rule checked on every call (dry run included), then an idempotent write. */
function action<I extends z.ZodObject>(name: string, input: I, hints: ToolHints, check: (a: z.infer<I>, ctx: AppContext) => Promise<unknown>, result: (a: z.infer<I>) => unknown) {
  return tool(name, input, hints, async (a, call) => {
    const preview = await check(a, call.ctx);
    if ((a as { dryRun?: boolean }).dryRun) return { dryRun: true, preview };
    return write(call.ctx, name, a, { actor: call.actor, idempotencyKey: call.idempotencyKey }, async () => ({ dryRun: false, preview, result: result(a) }));
  });
}

const lineOf = async (ctx: AppContext, ref: string, itemId: string) => {
  const o = await getOrderDetails(ctx, ref);
  const line = o.lines.find((l) => l.id === itemId);
  if (!line) throw notFound('order line', itemId);
  return { o, line };
};

const UNPAID = ['pending', 'authorized', 'expired'];

export function standInTools(): ToolDefinition[] {
  const swapped = new Map<string, string>(); // customerId → sku of the product swapped in
  return [
    tool('find_customer_by_email', z.object({ email: z.string() }), READ, async (a, { ctx }) => {
      const [c] = await findCustomers(ctx, { by: 'email', email: a.email });
      if (!c) throw notFound('customer with the email', a.email);
      return c;
    }),
    tool('active_orders', z.object({ customerId }), READ, async (a, { ctx }) => ({ orders: await listCustomerOrders(ctx, { customerId: a.customerId, activeOnly: true }) })),
    tool('summarize_orders', z.object({ customerId }), READ, (a, { ctx }) => summarizeOrders(ctx, a)),
    tool('get_order_details', z.object({ orderId }), READ, (a, { ctx }) => getOrderDetails(ctx, a.orderId)),
    tool('get_item_details', z.object({ orderId: orderId.optional(), itemId: z.string() }), READ, async (a, { ctx }) => (await lineOf(ctx, a.orderId ?? '', a.itemId)).line),
    tool('get_package_details', z.object({ packageId: z.string() }), READ, async (a, { ctx }) => {
      const [row] = await ctx.database.db.select({ orderId: packages.orderId }).from(packages).where(eq(packages.id, a.packageId));
      if (!row) throw notFound('package', a.packageId);
      return (await getOrderDetails(ctx, row.orderId)).packages.find((p) => p.id === a.packageId);
    }),
    tool('get_product_details', z.object({ productId: z.string() }), READ, async (a, { ctx }) => {
      const p = await findProductById(ctx.database.db, a.productId);
      if (!p) throw notFound('product', a.productId);
      return p;
    }),
    tool('check_return_eligibility', z.object({ orderId, items }), READ, async (a, { ctx }) => {
      const o = await getOrderDetails(ctx, a.orderId);
      return {
        items: a.items.map((i) => {
          const l = o.lines.find((x) => x.id === i.itemId);
          const no = (reason: string, message: string) => ({ itemId: i.itemId, eligible: false, reason, message });
          if (!l) return no('unknown_item', `${i.itemId} is not in this order`);
          if (!l.returnable) return no('not_returnable', `${l.title} cannot be returned`);
          if (l.deliveredQuantity < i.quantity) return no('not_delivered', `${l.title} can be returned after it is delivered`);
          if (Date.parse(o.placedAt) + (l.returnWindowDays ?? 30) * DAY_MS < ctx.clock.now().getTime()) return no('return_window_expired', `The return window of ${l.title} has closed`);
          return { itemId: i.itemId, eligible: true };
        }),
      };
    }),
    action('initiate_return', z.object({ orderId, items, reason: z.string(), dryRun }), WRITE, async (a) => ({ items: a.items }), (a) => ({ id: `ret_${a.orderId.replace(/^ord_/, '')}` })),
    action('cancel_order', z.object({ orderId, reason: z.string(), dryRun }), DESTRUCTIVE, async (a, ctx) => {
      const o = await getOrderDetails(ctx, a.orderId);
      if (o.lines.some((l) => l.deliveredQuantity > 0)) throw notEligible('order_delivered', 'A delivered order cannot be canceled.', 'Only orders not yet delivered can be canceled.');
      return { order: o.name, refund: UNPAID.includes(o.status.financial) ? 0 : o.totals.captured };
    }, (a) => ({ orderId: a.orderId, canceled: true })),
    action('refund_order', z.object({ orderId, items: items.optional(), reason: z.string(), dryRun }), DESTRUCTIVE, async (a, ctx) => {
      const o = await getOrderDetails(ctx, a.orderId);
      if (UNPAID.includes(o.status.financial)) throw notEligible('order_unpaid', 'This order is not paid.', 'Unpaid orders can only be canceled.');
      return { order: o.name, items: a.items ?? [] };
    }, (a) => ({ id: `rfd_${a.orderId.replace(/^ord_/, '')}` })),
    action('swap_purchased_product', z.object({ orderId, itemId: z.string(), productId: z.string(), dryRun }), WRITE, async (a, ctx) => {
      const { line } = await lineOf(ctx, a.orderId, a.itemId);
      const p = await findProductById(ctx.database.db, a.productId);
      if (!p) throw notFound('product', a.productId);
      if (!p.variants.some((v) => v.price === line.unitPrice)) throw notEligible('price_mismatch', 'The prices differ.', 'A purchase can only be switched to a product of exactly the same price.');
      return { from: line.sku, to: p.variants[0]!.sku };
    }, (a) => ({ orderId: a.orderId, itemId: a.itemId, productId: a.productId })),
    action('request_product_codes', z.object({ orderId, itemId: z.string(), dryRun }), WRITE, async (a, ctx) => (await lineOf(ctx, a.orderId, a.itemId)).line.sku, (a) => ({ itemId: a.itemId, issued: 1 })),
    tool('sync_purchase_history', z.object({ customerId }), WRITE, async () => ({ dryRun: false, preview: {}, result: { changed: true } })),
    tool('get_product_codes', z.object({ customerId }), READ, async (a) => ({ codes: swapped.has(a.customerId) ? [{ sku: swapped.get(a.customerId), code: 'CODE-1' }] : [] })),
    action('transfer_to_human_representative', z.object({ customerId, summary: z.string() }), WRITE, async (a) => a, () => ({ id: 'hnd_standin' })),
  ].map((t) => (t.name === 'swap_purchased_product' ? withSwapMemory(t, swapped) : t));
}

/** Remembers the swapped-in SKU so get_product_codes can list it, as the real lookup would. */
function withSwapMemory(t: ToolDefinition, swapped: Map<string, string>): ToolDefinition {
  return {
    ...t,
    async run(input, call) {
      const out = (await t.run(input, call)) as { dryRun: boolean; preview: { to: string } };
      const a = input as { orderId: string };
      if (!out.dryRun) swapped.set((await getOrderDetails(call.ctx, a.orderId)).customerId, out.preview.to);
      return out;
    },
  };
}

export const AGREED_TOOLS: ToolDefinition[] = standInTools();

/**
 * The catalogue the built-ins are checked against: the real TOOLS once every tool they call is in it
 * (after the tool families are merged), the stand-ins until then.
 */
export function builtinCatalogue(tools: readonly ToolDefinition[]): { catalogue: readonly ToolDefinition[]; real: boolean } {
  const names = new Set(tools.map((t) => t.name));
  const real = AGREED_TOOLS.every((t) => names.has(t.name));
  return { catalogue: real ? tools : standInTools(), real };
}

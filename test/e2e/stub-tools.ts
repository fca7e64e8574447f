/**
 * A stand-in for the tool serving layer (built on another branch), for the browser tests of the order-actions panel
 * until it is merged. It speaks the agreed contract — GET /v1/tools → { tools: [{ name, title, description,
 * inputSchema, hints }] }; POST /v1/tools/{name} → the ActionResult { dryRun, preview, result }, or 422
 * { error: { code: 'not_eligible', reason, policy, message } } — and applies its two actions as plain facts
 * (a void / refund transaction, canceled_at), so the sidebar's derived labels show the outcome.
 * After the merge, test/e2e/order-actions.test.ts runs against the real tools by dropping `withStubTools`.
 */
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../src/app/context.js';
import { requireToken, type Env } from '../../src/http/auth.js';
import { findOrderById } from '../../src/db/repo/orders.js';
import { toOrderView } from '../../src/app/orders/order-view.js';
import { newId } from '../../src/kernel/ids.js';

const item = { type: 'object', properties: { itemId: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } }, required: ['itemId', 'quantity'] };

export const STUB_TOOLS = [
  {
    name: 'cancel_order', title: 'Cancel an order', hints: { readOnly: false, destructive: true, idempotent: true },
    description: 'Cancel a whole order that has not been delivered. Unpaid orders are voided; paid orders are refunded.',
    inputSchema: { type: 'object', required: ['orderId', 'reason'], properties: {
      orderId: { type: 'string' }, reason: { type: 'string', enum: ['customer', 'inventory', 'fraud', 'declined', 'staff', 'other'], description: 'Why the order is canceled' }, dryRun: { type: 'boolean' },
    } },
  },
  {
    name: 'refund_order', title: 'Refund items', hints: { readOnly: false, destructive: true, idempotent: true },
    description: 'Refund items of a prepaid order. No-return items are refunded at once.',
    inputSchema: { type: 'object', required: ['orderId', 'items', 'reason'], properties: {
      orderId: { type: 'string' }, items: { type: 'array', items: item }, reason: { type: 'string', description: 'Why the refund is given' }, dryRun: { type: 'boolean' },
    } },
  },
];

const refuse = (reason: string, message: string, policy: string) => ({ error: { code: 'not_eligible', reason, message, policy } });

export function stubToolRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.use('*', requireToken(ctx));
  app.get('/', (c) => c.json({ tools: STUB_TOOLS }));
  app.post('/:name', async (c) => {
    const args = (await c.req.json()) as { orderId: string; reason?: string; items?: { itemId: string; quantity: number }[]; dryRun?: boolean };
    const record = await findOrderById(ctx.database.db, args.orderId);
    if (!record) return c.json({ error: { code: 'not_found', message: 'No such order' } }, 404);
    const order = toOrderView(record, ctx.clock.now());
    const now = ctx.clock.now().toISOString();
    if (c.req.param('name') === 'cancel_order') {
      if (order.lines.some((l) => l.deliveredQuantity > 0)) {
        return c.json(refuse('order_delivered', 'This order has delivered items and cannot be canceled; start a return instead.', 'Only orders that have not been delivered can be canceled, and only as a whole.'), 422);
      }
      const preview = { order: order.name, items: order.lines.map((l) => `${l.quantity} × ${l.title}`), refund: order.totals.captured, currency: order.currency, financialStatusAfter: order.totals.captured > 0 ? 'Refunded' : 'Voided' };
      if (args.dryRun) return c.json({ dryRun: true, preview });
      await ctx.database.db.execute(sql`update orders set canceled_at = ${now}::timestamptz, cancel_reason = ${args.reason ?? 'other'} where id = ${order.id}`);
      await ctx.database.db.execute(sql`insert into payment_transactions (id, order_id, kind, status, amount, currency, processed_at) values (${newId('transaction')}, ${order.id}, 'void', 'success', 0, ${order.currency}, ${now}::timestamptz)`);
      return c.json({ dryRun: false, preview, result: { orderId: order.id } });
    }
    if (order.totals.captured === 0) {
      return c.json(refuse('order_unpaid', 'This order is not paid, so there is nothing to refund; cancel it instead.', 'Refunds are only for prepaid orders; orders pending payment can only be canceled.'), 422);
    }
    const lines = (args.items ?? []).map((i) => ({ i, line: order.lines.find((l) => l.id === i.itemId)! }));
    const amount = lines.reduce((s, { i, line }) => s + line.unitPrice * i.quantity, 0);
    const preview = { items: lines.map(({ i, line }) => `${i.quantity} × ${line.title}`), amount, currency: order.currency, disclosures: ['Shipping fees are not refunded; only the item cost is refunded.'] };
    if (args.dryRun) return c.json({ dryRun: true, preview });
    await ctx.database.db.execute(sql`insert into payment_transactions (id, order_id, kind, status, amount, currency, processed_at) values (${newId('transaction')}, ${order.id}, 'refund', 'success', ${amount}, ${order.currency}, ${now}::timestamptz)`);
    return c.json({ dryRun: false, preview, result: { orderId: order.id, refunded: amount, idempotencyKey: c.req.header('idempotency-key') ?? null } });
  });
  return app;
}

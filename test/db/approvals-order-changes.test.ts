/**
 * The price difference an exchange or an item change gives back counts toward the refund limits of the approval
 * policy as a refund does (docs/approvals.md): above the AI's limit it becomes an approval request and nothing moves.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateApprovalPolicy } from '../../src/app/approvals/approval-policy.js';
import { rows } from '../../src/db/database.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { runTool } from '../../src/tools/gate.js';
import { placeOrder, type SeededContext, seedStore, type Store } from '../support/changes-fixtures.js';
import { openTestContext } from '../support/db.js';

let ctx: SeededContext;
let store: Store;
beforeAll(async () => {
  ctx = await openTestContext();
  store = await seedStore(ctx);
}, 300_000);
afterAll(() => ctx?.drop());

const ai = { role: 'ai_agent' as const, actor: { kind: 'ai_agent' as const, id: 'ai_agent' } };
const tool = (name: string) => TOOLS.find((t) => t.name === name)!;
const admin = { actor: { kind: 'human' as const, id: 'lead' } };

/** The AI may refund up to $4.00 alone: each change below gives back $5.00. */
async function aiLimit(cents: number) {
  await updateApprovalPolicy(
    ctx,
    { ai_agent: { refundMaxAmount: cents, refundCurrency: 'USD', refundsPerCustomerPerDay: null, approvalTools: [] } },
    admin,
  );
}

describe('price differences count toward the refund limits', () => {
  it('an exchange to a cheaper variant above the AI limit waits for approval; within it, it runs', async () => {
    await aiLimit(400);
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }], packageStatus: 'delivered' });
    const args = {
      orderId: order.id,
      items: [{ itemId: order.lines[0]!.id, quantity: 1, newSku: 'TEE-XS' }],
      paymentMethodId: store.card,
    };
    const held = (await runTool(ctx, tool('exchange_items'), args, ai, 'exchange-1')) as {
      approvalRequired: { reasons: string[]; tool: string };
    };
    expect(held.approvalRequired).toMatchObject({ tool: 'exchange_items', reasons: ['refund_over_limit'] });
    expect(await rows(ctx.database.db, sql`select id from exchanges where order_id = ${order.id}`)).toEqual([]);
    const [request] = await rows<{ amount: number }>(
      ctx.database.db,
      sql`select amount::int as amount from approval_requests where tool = 'exchange_items'`,
    );
    expect(request?.amount).toBe(500);

    await aiLimit(500);
    const done = (await runTool(ctx, tool('exchange_items'), args, ai, 'exchange-2')) as { result?: unknown };
    expect(done.result).toBeDefined();
  });

  it('an item change on a paid pending order that makes it cheaper counts too', async () => {
    await aiLimit(400);
    const order = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-S', quantity: 1 }] });
    const held = (await runTool(
      ctx,
      tool('modify_pending_order_items'),
      {
        orderId: order.id,
        items: [{ itemId: order.lines[0]!.id, newSku: 'TEE-XS' }],
        paymentMethodId: store.card,
      },
      ai,
      'items-1',
    )) as { approvalRequired?: { reasons: string[] } };
    expect(held.approvalRequired?.reasons).toEqual(['refund_over_limit']);
  });
});

/**
 * On PostgreSQL only: the daily refund limit holds under concurrency. Parallel AI refunds for one customer, each in its
 * own transaction on its own connection, with a limit of 1 a day: exactly one runs, the others become approval
 * requests — the count is taken in the database (an advisory lock of actor kind and customer), not in the process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateApprovalPolicy } from '../../src/app/approvals/approval-policy.js';
import type { AppContext } from '../../src/app/context.js';
import { getOrderDetails } from '../../src/app/orders/get-order-details.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { findTool } from '../../src/tools/catalogue.js';
import type { Caller } from '../../src/tools/define.js';
import { isApprovalRequired, runTool } from '../../src/tools/gate.js';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { placeOrder, seedStore, type Store } from '../support/changes-fixtures.js';

let db: TestDb;
let ctx: AppContext & { clock: FixedClock };
let store: Store;
const AI: Caller = { role: 'ai_agent', actor: { kind: 'ai_agent', id: 'assistant' } };

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 8 });
  ctx = { database: db.database, clock: new FixedClock(T0) };
  store = await seedStore(ctx);
  await updateApprovalPolicy(
    ctx,
    { ai_agent: { refundMaxAmount: 10000, refundCurrency: 'USD', refundsPerCustomerPerDay: 1, approvalTools: [] } },
    { actor: { kind: 'human', id: 'admin' } },
  );
});
afterAll(() => db.drop());

describe('the daily refund limit on PostgreSQL', () => {
  it('lets exactly one of 6 parallel AI refunds through per customer and day, 10 days running', async () => {
    const refund = findTool('refund_order')!;
    for (let day = 0; day < 10; day++) {
      const o = await placeOrder(ctx, store, { lines: [{ sku: 'TEE-GOLD', quantity: 6 }], packageStatus: 'none' });
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          runTool(
            ctx,
            refund,
            refund.input.parse({ orderId: o.id, items: [{ itemId: o.lines[0]!.id, quantity: 1 }], reason: 'lost' }),
            AI,
            `day${day}-refund${i}`,
          ),
        ),
      );
      const held = answers.filter(isApprovalRequired);
      expect(answers.length - held.length).toBe(1);
      expect(held.map((a) => a.approvalRequired.reasons)).toEqual(Array(5).fill(['daily_refund_limit']));
      expect((await getOrderDetails(ctx, { orderId: o.id })).totals.refunded).toBe(9000);
      ctx.clock.advance(24 * 3600 * 1000);
    }
  });
});

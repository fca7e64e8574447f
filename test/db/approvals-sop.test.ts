/**
 * An SOP run whose write step is above its caller's limits waits on the approval request, and goes on when a person
 * decides: approved, the step's action runs once (under the step's key) and the run moves to the next step; declined,
 * the step is refused and nothing happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateApprovalPolicy } from '../../src/app/approvals/approval-policy.js';
import { getApproval } from '../../src/app/approvals/approval-requests.js';
import { SopEngine, useSopEngine } from '../../src/sop/engine.js';
import { approveRequest, declineRequest } from '../../src/tools/approvals.js';
import type { Caller } from '../../src/tools/define.js';
import { openTestContext } from '../support/db.js';
import { fakeCatalogue, library, REFUND_SOP } from '../support/sop-fakes.js';

const AI: Caller = { role: 'ai_agent', actor: { kind: 'ai_agent', id: 'assistant' } };
const ADMIN: Caller = { role: 'admin', actor: { kind: 'human', id: 'lead@example.com' } };
const asAi = { actor: AI.actor, caller: AI };

let ctx: Awaited<ReturnType<typeof openTestContext>>;
const fakes = fakeCatalogue();
let engine: SopEngine;

beforeAll(async () => {
  ctx = await openTestContext();
  engine = new SopEngine({ ctx, catalogue: fakes.catalogue, library: library(REFUND_SOP) });
  useSopEngine(ctx, engine);
  // The fake refund has no amount to read: the policy names the tool instead.
  await updateApprovalPolicy(
    ctx,
    {
      ai_agent: {
        refundMaxAmount: 10000,
        refundCurrency: 'USD',
        refundsPerCustomerPerDay: 2,
        approvalTools: ['refund_order'],
      },
    },
    { actor: ADMIN.actor },
  );
});
afterAll(() => ctx.drop());

async function atRefundStep() {
  const run = await engine.start({ sopId: 'two-system-refund' }, asAi);
  await engine.submit(run.id, 'email', { answer: 'mo@example.com' }, asAi);
  const v = await engine.submit(run.id, 'order_ref', { answer: '#1001' }, asAi);
  expect(v.current?.stepId).toBe('store_refund');
  return v;
}

describe('an SOP write step above the limits', () => {
  it('waits on the approval, and goes on with the action run once when a person approves', async () => {
    const before = fakes.effects.refund_order ?? 0;
    const v = await atRefundStep();
    const waiting = await engine.submit(v.id, 'store_refund', { confirm: true }, asAi);
    expect(waiting.status).toBe('waiting');
    expect(waiting.current).toMatchObject({
      stepId: 'store_refund',
      needs: 'event',
      wait: { event: 'approval.decided' },
    });
    const approvalId = waiting.current!.wait!.approvalId!;
    expect(await getApproval(ctx, approvalId)).toMatchObject({
      status: 'pending',
      tool: 'refund_order',
      reasons: ['tool_needs_approval'],
      actor: { kind: 'ai_agent', id: 'assistant' },
      idempotencyKey: `sop:${v.id}:store_refund`,
    });
    expect(fakes.effects.refund_order ?? 0).toBe(before);
    // Looking again changes nothing while it is pending; submitting again is refused (the step waits).
    expect((await engine.view(v.id)).status).toBe('waiting');
    expect(fakes.effects.refund_order ?? 0).toBe(before);

    const approved = await approveRequest(ctx, approvalId, ADMIN);
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'lead@example.com' });
    expect(fakes.effects.refund_order).toBe(before + 1);
    const after = await engine.view(v.id);
    expect(after.completedSteps).toContain('store_refund');
    expect(after.current?.stepId).not.toBe('store_refund');
    // The action ran under the step's key as the AI agent's: once, whatever looks at the run again.
    await engine.view(v.id);
    expect(fakes.effects.refund_order).toBe(before + 1);
    const call = fakes.calls.filter((c) => c.tool === 'refund_order' && c.key === `sop:${v.id}:store_refund`);
    expect(call.length).toBeGreaterThan(0);
  });

  it('is refused when a person declines, and the action never runs', async () => {
    const before = fakes.effects.refund_order ?? 0;
    const v = await atRefundStep();
    const waiting = await engine.submit(v.id, 'store_refund', { confirm: true }, asAi);
    const approvalId = waiting.current!.wait!.approvalId!;
    await declineRequest(ctx, { id: approvalId, reason: 'the order was a gift' }, ADMIN);
    const after = await engine.view(v.id);
    expect(after.status).toBe('failed');
    expect(after.failure).toMatchObject({ stepId: 'store_refund', reason: 'approval_declined' });
    expect(fakes.effects.refund_order ?? 0).toBe(before);
  });

  it('an agent, whose limits do not hold the tool back, runs the step at once', async () => {
    const before = fakes.effects.refund_order ?? 0;
    const v = await atRefundStep();
    const agent: Caller = { role: 'agent', actor: { kind: 'human', id: 'alex' } };
    const done = await engine.submit(v.id, 'store_refund', { confirm: true }, { actor: agent.actor, caller: agent });
    expect(done.completedSteps).toContain('store_refund');
    expect(fakes.effects.refund_order).toBe(before + 1);
  });
});

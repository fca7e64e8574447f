import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { SopEngine } from '../../src/sop/engine.js';
import { timelineEvents } from '../../src/db/schema/index.js';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../src/domain/timeline.js';
import type { AppContext } from '../../src/app/context.js';
import { openTestContext, serverUrl, T0, createServerDatabase } from '../support/db.js';
import { fakeCatalogue, library, REFUND_SOP } from '../support/sop-fakes.js';

const agent: Actor = { kind: 'human', id: 'alex' };
const opts = { actor: agent };

let ctx: Awaited<ReturnType<typeof openTestContext>>;
beforeAll(async () => {
  ctx = await openTestContext();
});
afterAll(() => ctx.drop());

function engineWith(fakes = fakeCatalogue(), c: AppContext = ctx) {
  return { fakes, engine: new SopEngine({ ctx: c, catalogue: fakes.catalogue, library: library(REFUND_SOP) }) };
}

async function toStoreRefund(engine: SopEngine, order = '#1001') {
  const run = await engine.start({ sopId: 'two-system-refund' }, opts);
  expect(run.current?.stepId).toBe('email');
  const a = await engine.submit(run.id, 'email', { answer: 'mo@example.com' }, opts);
  expect(a.current?.stepId).toBe('order_ref');
  return engine.submit(run.id, 'order_ref', { answer: order }, opts);
}

describe('SOP runner', () => {
  it('ask → read-only tools run by themselves → a write tool stops for a confirm with a dry-run preview', async () => {
    const { engine } = engineWith();
    const v = await toStoreRefund(engine);
    expect(v.status).toBe('running');
    expect(v.customerId).toBe('cus_fake0001');
    expect(v.current).toMatchObject({ stepId: 'store_refund', needs: 'confirm', allowedTools: ['refund_order'] });
    expect(v.current?.tool?.arguments).toEqual({ orderId: 'ord_fake0001', amount: 5000, reason: 'customer' });
    expect(v.current?.tool?.preview).toMatchObject({ dryRun: true, preview: { would: 'refund_order' } });
    expect(v.completedSteps).toEqual(['email', 'customer', 'order_ref', 'order', 'paid']);
  });

  it('ask refuses an answer that does not fit its type, and the run does not move', async () => {
    const { engine } = engineWith();
    const run = await engine.start({ sopId: 'two-system-refund' }, opts);
    await expect(engine.submit(run.id, 'email', { answer: 'not an email' }, opts)).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { reason: 'invalid_answer' },
    });
    expect((await engine.view(run.id)).current?.stepId).toBe('email');
  });

  it('a write tool step is not run without confirm: true', async () => {
    const { engine, fakes } = engineWith();
    const v = await toStoreRefund(engine);
    await expect(engine.submit(v.id, 'store_refund', {}, opts)).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { reason: 'confirmation_required' },
    });
    expect(fakes.effects.refund_order).toBeUndefined();
  });

  it('check: a failed check says why and follows onFail (end)', async () => {
    const { engine, fakes } = engineWith();
    const v = await toStoreRefund(engine, '#1002');
    expect(v.status).toBe('completed');
    expect(v.notices[0]?.message).toContain('#1002 is not paid');
    expect(v.messages.at(-1)?.text).toBe('Order #1002 is not paid, so it can only be canceled.');
    expect(fakes.effects.refund_order).toBeUndefined();
  });

  it('manual: evidence must match its patterns before the next step unlocks; say renders placeholders and disclosures', async () => {
    const { engine, fakes } = engineWith();
    const v = await toStoreRefund(engine);
    const b = await engine.submit(v.id, 'store_refund', { confirm: true }, opts);
    expect(b.current).toMatchObject({ stepId: 'board', needs: 'evidence', system: 'Work board' });
    expect(b.current?.evidence?.map((e) => e.name)).toEqual(['esgNumber', 'customerEmail', 'logged']);
    await expect(
      engine.submit(
        v.id,
        'board',
        { evidence: { esgNumber: '12345', customerEmail: 'mo@example.com', logged: true } },
        opts,
      ),
    ).rejects.toMatchObject({ code: 'invalid_argument', details: { fields: [{ path: 'evidence.esgNumber' }] } });
    await expect(
      engine.submit(
        v.id,
        'board',
        { evidence: { esgNumber: 'ESG-1', customerEmail: 'mo@example.com', logged: false } },
        opts,
      ),
    ).rejects.toMatchObject({ details: { fields: [{ path: 'evidence.logged' }] } });
    const c = await engine.submit(
      v.id,
      'board',
      { evidence: { esgNumber: 'ESG-12345', customerEmail: 'mo@example.com', logged: true } },
      opts,
    );
    expect(c.current?.stepId).toBe('market_refund');
    expect(c.current?.tool?.arguments).toEqual({ orderId: 'ESG-12345' });
    const d = await engine.submit(v.id, 'market_refund', { confirm: true }, opts);
    expect(d.status).toBe('completed');
    expect(d.messages.at(-1)).toEqual({
      stepId: 'tell',
      text: 'Your refund for #1001 is on its way.',
      disclosures: ['Shipping fees are not refunded.'],
    });
    expect(fakes.effects).toEqual({ refund_order: 1, marketplace_refund: 1 });
    const history = await engine.history(v.id);
    expect(history.steps.find((s) => s.stepId === 'board')).toMatchObject({
      by: { kind: 'human', id: 'alex' },
      data: { evidence: { esgNumber: 'ESG-12345' } },
    });
    expect(history.steps.find((s) => s.stepId === 'customer')?.by.kind).toBe('system');
  });

  it('every completed step is on the customer timeline, between sop.run_started and sop.run_finished', async () => {
    const { engine } = engineWith();
    const v = await toStoreRefund(engine, '#1002');
    const events = await ctx.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.type, 'sop.step_completed'));
    const mine = events.filter((e) => (e.data as { runId: string }).runId === v.id);
    expect(mine.map((e) => (e.data as { stepId: string }).stepId)).toEqual([
      'email',
      'customer',
      'order_ref',
      'order',
      'paid',
    ]);
    expect(mine.slice(1).every((e) => e.customerId === 'cus_fake0001')).toBe(true);
    const finished = (
      await ctx.database.db.select().from(timelineEvents).where(eq(timelineEvents.type, 'sop.run_finished'))
    ).filter((e) => (e.data as { runId: string }).runId === v.id);
    expect(finished).toHaveLength(1);
    expect(finished[0]!.data).toMatchObject({ status: 'completed' });
  });

  it('compensation: the marketplace refund fails after the store refund → the store refund is reversed and the run is failed', async () => {
    const { engine, fakes } = engineWith();
    fakes.failMarketplace = 'crash';
    const v = await toStoreRefund(engine);
    await engine.submit(v.id, 'store_refund', { confirm: true }, opts);
    await engine.submit(
      v.id,
      'board',
      { evidence: { esgNumber: 'ESG-9', customerEmail: 'mo@example.com', logged: true } },
      opts,
    );
    const f = await engine.submit(v.id, 'market_refund', { confirm: true }, opts);
    expect(f.status).toBe('failed');
    expect(f.failure).toMatchObject({ stepId: 'market_refund', code: 'tool_failed' });
    expect(f.failure?.message).toContain('seller portal unreachable');
    expect(f.compensations).toEqual([
      {
        stepId: 'store_refund',
        tool: 'reverse_refund',
        ok: true,
        result: { dryRun: false, preview: {}, result: { id: 'reverse_refund_1' } },
      },
    ]);
    expect(fakes.effects).toEqual({ refund_order: 1, reverse_refund: 1 });
    const reverse = fakes.calls.find((c) => c.tool === 'reverse_refund');
    expect(reverse).toMatchObject({ args: { refundId: 'refund_order_1' }, key: `sop:${v.id}:store_refund:compensate` });
    await expect(engine.submit(v.id, 'market_refund', { confirm: true }, opts)).rejects.toMatchObject({
      code: 'conflict',
      details: { reason: 'sop_run_not_active' },
    });
    const finished = (
      await ctx.database.db.select().from(timelineEvents).where(eq(timelineEvents.type, 'sop.run_finished'))
    ).find((e) => (e.data as { runId: string }).runId === v.id);
    expect(finished?.data).toMatchObject({
      status: 'failed',
      failedStepId: 'market_refund',
      compensations: [{ stepId: 'store_refund', tool: 'reverse_refund', ok: true }],
    });
    expect(finished?.customerId).toBe('cus_fake0001');
  });

  it('a business refusal without onRefused fails the run the same way, naming the rule', async () => {
    const { engine, fakes } = engineWith();
    fakes.failMarketplace = 'refuse';
    const v = await toStoreRefund(engine);
    await engine.submit(v.id, 'store_refund', { confirm: true }, opts);
    await engine.submit(
      v.id,
      'board',
      { evidence: { esgNumber: 'ESG-9', customerEmail: 'mo@example.com', logged: true } },
      opts,
    );
    const f = await engine.submit(v.id, 'market_refund', { confirm: true }, opts);
    expect(f.failure).toMatchObject({ code: 'not_eligible', reason: 'marketplace_closed' });
    expect(f.compensations.map((c) => c.ok)).toEqual([true]);
  });

  it('idempotent retry: a tool step retried after a crash (tool done, step not recorded) acts once', async () => {
    const { engine, fakes } = engineWith();
    const v = await toStoreRefund(engine);
    // The crashed first attempt: the tool ran with the step's key, but the run never recorded it.
    const tool = fakes.catalogue.find((t) => t.name === 'refund_order')!;
    await tool.run(
      { orderId: 'ord_fake0001', amount: 5000, reason: 'customer' },
      { ctx, actor: agent, idempotencyKey: `sop:${v.id}:store_refund` },
    );
    expect(fakes.effects.refund_order).toBe(1);
    const after = await engine.submit(v.id, 'store_refund', { confirm: true }, opts);
    expect(after.current?.stepId).toBe('board');
    expect(fakes.effects.refund_order).toBe(1);
    expect(
      fakes.calls
        .filter((c) => c.tool === 'refund_order' && !(c.args as { dryRun?: boolean }).dryRun)
        .map((c) => c.key),
    ).toEqual([`sop:${v.id}:store_refund`, `sop:${v.id}:store_refund`]);
  });

  it('cancel with undo reverses what the run did, newest first; cancel without it keeps it', async () => {
    const { engine, fakes } = engineWith();
    const undone = await toStoreRefund(engine);
    await engine.submit(undone.id, 'store_refund', { confirm: true }, opts);
    const c = await engine.cancel(undone.id, 'customer withdrew the claim', { ...opts, undo: true });
    expect(c).toMatchObject({ status: 'canceled', cancelReason: 'customer withdrew the claim' });
    expect(c.compensations).toEqual([
      {
        stepId: 'store_refund',
        tool: 'reverse_refund',
        ok: true,
        result: { dryRun: false, preview: {}, result: { id: 'reverse_refund_1' } },
      },
    ]);
    expect(fakes.calls.find((x) => x.tool === 'reverse_refund')).toMatchObject({
      args: { refundId: 'refund_order_1' },
      key: `sop:${undone.id}:store_refund:compensate`,
    });
    const finished = (
      await ctx.database.db.select().from(timelineEvents).where(eq(timelineEvents.type, 'sop.run_finished'))
    ).find((e) => (e.data as { runId: string }).runId === undone.id);
    expect(finished?.data).toMatchObject({
      status: 'canceled',
      compensations: [{ stepId: 'store_refund', tool: 'reverse_refund', ok: true }],
    });

    const kept = await toStoreRefund(engine);
    await engine.submit(kept.id, 'store_refund', { confirm: true }, opts);
    const k = await engine.cancel(kept.id, 'finishing by hand', opts);
    expect(k.compensations).toEqual([]);
    expect(fakes.effects).toEqual({ refund_order: 2, reverse_refund: 1 });
  });

  it('a submit for a step that is not current is a conflict, and cancel ends the run', async () => {
    const { engine } = engineWith();
    const v = await toStoreRefund(engine);
    await expect(engine.submit(v.id, 'board', { evidence: {} }, opts)).rejects.toMatchObject({
      code: 'conflict',
      details: { reason: 'not_current_step' },
    });
    const c = await engine.cancel(v.id, 'customer changed their mind', opts);
    expect(c).toMatchObject({ status: 'canceled', cancelReason: 'customer changed their mind', current: null });
    await expect(engine.cancel(v.id, 'again', opts)).rejects.toMatchObject({
      code: 'conflict',
      details: { reason: 'sop_run_not_active' },
    });
  });

  it('agent mode: only the current step’s tool with the SOP’s arguments is allowed', async () => {
    const { engine, fakes } = engineWith();
    const v = await toStoreRefund(engine);
    await expect(
      engine.submit(v.id, 'store_refund', { tool: 'marketplace_refund', confirm: true }, opts),
    ).rejects.toMatchObject({ details: { reason: 'tool_not_allowed' } });
    await expect(
      engine.submit(
        v.id,
        'store_refund',
        {
          tool: 'refund_order',
          arguments: { orderId: 'ord_fake0001', amount: 99999, reason: 'customer' },
          confirm: true,
        },
        opts,
      ),
    ).rejects.toMatchObject({ details: { reason: 'arguments_differ' } });
    expect(fakes.effects.refund_order).toBeUndefined();
    const ok = await engine.submit(
      v.id,
      'store_refund',
      { tool: 'refund_order', arguments: { orderId: 'ord_fake0001', amount: 5000, reason: 'customer' }, confirm: true },
      opts,
    );
    expect(ok.current?.stepId).toBe('board');
  });

  it('prefilled inputs complete their ask steps by themselves; unknown inputs are refused', async () => {
    const { engine } = engineWith();
    const v = await engine.start(
      { sopId: 'two-system-refund', inputs: { email: 'mo@example.com', order: '1001' } },
      opts,
    );
    expect(v.current?.stepId).toBe('store_refund');
    expect(v.inputs.order).toBe('#1001'); // normalized like an answer
    await expect(engine.start({ sopId: 'two-system-refund', inputs: { colour: 'red' } }, opts)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(engine.start({ sopId: 'nope' }, opts)).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      engine.start({ sopId: 'two-system-refund', inputs: { email: 'not-an-email' } }, opts),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { reason: 'invalid_answer', fields: [{ path: 'inputs.email' }] },
    });
  });

  it('two people submitting the same step at once: one completes it, the other is told to reload, the tool acts once', async () => {
    const { engine, fakes } = engineWith();
    const v = await toStoreRefund(engine);
    const both = await Promise.allSettled([
      engine.submit(v.id, 'store_refund', { confirm: true }, opts),
      engine.submit(v.id, 'store_refund', { confirm: true }, opts),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'conflict' });
    expect(['sop_run_changed', 'not_current_step']).toContain(rejected.reason.details.reason);
    expect(fakes.effects.refund_order).toBe(1);
    const history = await engine.history(v.id);
    expect(history.steps.filter((s) => s.stepId === 'store_refund')).toHaveLength(1);
  });
});

describe('restart', () => {
  it('a run survives a restart: start, answer steps, open a new context on the same database, continue', async () => {
    let url: string | undefined;
    let dropServer: (() => Promise<void>) | undefined;
    let dir: string | undefined;
    if (serverUrl) ({ url, drop: dropServer } = await createServerDatabase(serverUrl));
    else dir = mkdtempSync(join(tmpdir(), 'sopdesk-restart-'));
    const open = async () => ({
      database: await openDatabase(url ? { url, poolSize: 2 } : { dataDir: dir }),
      clock: new FixedClock(T0),
    });
    try {
      const first = await open();
      const a = engineWith(fakeCatalogue(), first);
      const v = await toStoreRefund(a.engine);
      await a.engine.submit(v.id, 'store_refund', { confirm: true }, opts);
      await first.database.close();

      const second = await open();
      const fakes = fakeCatalogue();
      const b = engineWith(fakes, second);
      const resumed = await b.engine.view(v.id);
      expect(resumed.current?.stepId).toBe('board');
      expect(resumed.completedSteps).toContain('store_refund');
      await b.engine.submit(
        v.id,
        'board',
        { evidence: { esgNumber: 'ESG-7', customerEmail: 'mo@example.com', logged: true } },
        opts,
      );
      const done = await b.engine.submit(v.id, 'market_refund', { confirm: true }, opts);
      expect(done.status).toBe('completed');
      expect(fakes.effects).toEqual({ marketplace_refund: 1 });
      await second.database.close();
    } finally {
      if (dropServer) await dropServer();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
});

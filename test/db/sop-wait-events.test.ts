/**
 * A wait step that other events end on paths of their own (`onEvents`), and waiting runs that go on by themselves when
 * their event commits or their deadline passes — nobody reading them — except the runs the AI agent leads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { write } from '../../src/app/write.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { InboundInput } from '../../src/app/inbox/schemas.js';
import { receiveMessage } from '../../src/app/inbox/receive-message.js';
import { loadSopRun } from '../../src/app/sop/load-sop-run.js';
import { SopEngine } from '../../src/sop/engine.js';
import { START } from '../../src/db/repo/event-cursor.js';
import { advanceWaits, startWaitWorker } from '../../src/sop/wait-worker.js';
import type { Actor } from '../../src/domain/timeline.js';
import { openTestContext } from '../support/db.js';
import { fakeCatalogue, library, RETURN_WAIT_SOP } from '../support/sop-fakes.js';

const opts = { actor: { kind: 'human', id: 'sam' } as Actor };

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let engine: SopEngine;
beforeAll(async () => {
  ctx = await openTestContext();
  engine = new SopEngine({ ctx, catalogue: fakeCatalogue().catalogue, library: library(RETURN_WAIT_SOP) });
});
afterAll(() => ctx.drop());

let n = 0;
async function waitingRun() {
  const returnId = `ret_wait${String(++n).padStart(4, '0')}`;
  const customerId = `cus_wait${String(n).padStart(4, '0')}`;
  const v = await engine.start({ sopId: 'return-wait', inputs: { customerId, returnId } }, opts);
  expect(v.status).toBe('waiting');
  return { id: v.id, returnId, customerId };
}

async function returnEvent(
  type: 'return.received' | 'return.declined' | 'return.canceled',
  r: { returnId: string; customerId: string },
  extra: Record<string, unknown> = {},
) {
  await write(ctx, 'test', null, { actor: { kind: 'system' } }, ({ record }) =>
    record({
      type,
      customerId: r.customerId,
      data: { returnId: r.returnId, trackingId: 'RT-1', from: 'requested', to: type.split('.')[1]!, ...extra },
    } as never),
  );
}

describe('a wait with other events (onEvents)', () => {
  it('a declined return ends the wait on its own path, its message quoting the event', async () => {
    const r = await waitingRun();
    await returnEvent('return.declined', { ...r, returnId: 'ret_other0001' }); // another return: waits on
    expect((await engine.view(r.id)).status).toBe('waiting');
    await returnEvent('return.declined', r, { reason: 'signs of misuse' });
    const v = await engine.view(r.id);
    expect(v.status).toBe('completed');
    expect(v.messages.map((m) => m.text)).toEqual(['Your return was declined: signs of misuse.']);
    expect((await loadSopRun(ctx, r.id)).state.edges).toEqual(['received -> (end) (on return.declined)']);
  });

  it('a canceled return goes to its step; the awaited event still goes to next', async () => {
    const canceled = await waitingRun();
    await returnEvent('return.canceled', canceled);
    expect((await engine.view(canceled.id)).messages.map((m) => m.text)).toEqual(['Canceled; nothing to refund.']);
    const received = await waitingRun();
    await returnEvent('return.received', received, { restocked: [] });
    expect((await engine.view(received.id)).messages.map((m) => m.text)).toEqual(['Refunded.']);
  });

  it('the view names the other events and where each leads', async () => {
    const r = await waitingRun();
    expect((await engine.view(r.id)).current?.wait).toMatchObject({
      event: 'return.received',
      otherEvents: [
        { event: 'return.declined', when: 'event.data.returnId == inputs.returnId', leadsTo: 'end' },
        { event: 'return.canceled', leadsTo: 'goto', goto: 'canceled' },
      ],
    });
  });
});

describe('waiting runs go on by themselves', () => {
  it('the worker advances a run when its event commits, without anyone reading the run', async () => {
    const r = await waitingRun();
    const worker = startWaitWorker(engine, { pollMs: 60_000, leaveToAi: false });
    try {
      await returnEvent('return.declined', r, { reason: 'worn' });
      const deadline = Date.now() + 10_000;
      while ((await loadSopRun(ctx, r.id)).status === 'waiting' && Date.now() < deadline)
        await new Promise((ok) => setTimeout(ok, 20));
    } finally {
      await worker.stop();
    }
    const run = await loadSopRun(ctx, r.id);
    expect(run.status).toBe('completed');
    expect(run.state.messages.map((m) => m.text)).toEqual(['Your return was declined: worn.']);
  });

  it('a run that began waiting before read cursors (only `sinceSeq` in its state) still goes on', async () => {
    const r = await waitingRun();
    const wait = (await loadSopRun(ctx, r.id)).state.wait!;
    expect(wait.sinceHorizon).toEqual(expect.any(Number));
    await ctx.database.db.execute(
      sql`update sop_runs set state = jsonb_set(state, '{wait}', (state -> 'wait') - 'sinceHorizon' - 'sinceSeen')
        where id = ${r.id}`,
    );
    const pass = await advanceWaits(engine, { after: START, leaveToAi: false });
    expect(pass.advanced).not.toContain(r.id);
    await returnEvent('return.declined', r, { reason: 'worn' });
    expect((await advanceWaits(engine, { after: pass.checked, leaveToAi: false })).advanced).toEqual([r.id]);
    expect((await loadSopRun(ctx, r.id)).status).toBe('completed');
  });

  it('a pass advances a run whose deadline passed, and only the runs that may go on', async () => {
    const late = await waitingRun();
    ctx.clock.advance(31 * 86_400_000);
    const still = await waitingRun();
    await returnEvent('return.received', { ...still, returnId: 'ret_other0002' }, { restocked: [] });
    const pass = await advanceWaits(engine, { after: START, leaveToAi: false });
    expect(pass.advanced).toContain(late.id);
    expect((await loadSopRun(ctx, late.id)).state.edges).toEqual(['received -> (end) (timed out)']);
    expect(pass.advanced).not.toContain(still.id);
  });

  it('runs the AI agent leads are left to its turns; once it is paused on them, the worker takes them', async () => {
    const r = await waitingRun();
    const customer = await upsertCustomer(ctx, CustomerInput.parse({ name: 'Ai Led', emails: ['ai@example.com'] }), {
      actor: { kind: 'system' },
    });
    const { id: conversationId } = await receiveMessage(
      ctx,
      InboundInput.parse({ customerId: customer.id, body: 'Where is my refund?' }),
      { actor: { kind: 'system' } },
    );
    await ctx.database.db.execute(
      sql`insert into ai_conversations (conversation_id, run_id, updated_at) values (${conversationId}, ${r.id}, now())`,
    );
    await returnEvent('return.canceled', r);
    await advanceWaits(engine, { after: START, leaveToAi: true });
    expect((await loadSopRun(ctx, r.id)).status).toBe('waiting');
    await ctx.database.db.execute(
      sql`update ai_conversations set paused = true where conversation_id = ${conversationId}`,
    );
    expect((await advanceWaits(engine, { after: START, leaveToAi: true })).advanced).toEqual([r.id]);
  });
});

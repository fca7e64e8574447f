import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SopEngine, useSopEngine } from '../../src/sop/engine.js';
import { sopTools } from '../../src/tools/sop.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { fakeCatalogue, library, REFUND_SOP } from '../support/sop-fakes.js';
import { makeCustomer } from '../support/orders.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;
const fakes = fakeCatalogue();

beforeAll(async () => {
  ctx = await openTestContext();
  useSopEngine(ctx, new SopEngine({ ctx, catalogue: fakes.catalogue, library: library(REFUND_SOP) }));
  api = await testApi(ctx, 'agent');
});
afterAll(() => ctx.drop());

describe('guided mode over REST', () => {
  it('lists and shows SOPs', async () => {
    const list = await api.request('GET', '/v1/sops');
    expect(list.status).toBe(200);
    expect(list.body.sops).toEqual([expect.objectContaining({ id: 'two-system-refund', version: '1', stepCount: 9 })]);
    const one = await api.request('GET', '/v1/sops/two-system-refund');
    expect(one.body.steps.find((s: any) => s.id === 'store_refund').instructions).toBe(
      'Refund in the store so the inventory is right.',
    );
    expect((await api.request('GET', '/v1/sops/nope')).status).toBe(404);
  });

  it('start → answer → confirm the previewed write → evidence → confirm → completed, with history', async () => {
    const start = await api.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund', conversationId: 'conv-1' });
    expect(start.status).toBe(201);
    const id = start.body.id;
    expect(start.body.current).toMatchObject({
      stepId: 'email',
      needs: 'answer',
      form: { input: 'email', type: 'email' },
      prompt: 'Your registered email?',
    });

    const bad = await api.request('POST', `/v1/sop-runs/${id}/steps/email`, { answer: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('answer');

    await api.request('POST', `/v1/sop-runs/${id}/steps/email`, { answer: 'mo@example.com' });
    const atRefund = await api.request('POST', `/v1/sop-runs/${id}/steps/order_ref`, { answer: '#1001' });
    expect(atRefund.body.current).toMatchObject({
      stepId: 'store_refund',
      needs: 'confirm',
      tool: { name: 'refund_order', destructive: true },
    });
    expect(atRefund.body.current.tool.preview.dryRun).toBe(true);

    const unconfirmed = await api.request('POST', `/v1/sop-runs/${id}/steps/store_refund`, {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.reason).toBe('confirmation_required');

    const atBoard = await api.request('POST', `/v1/sop-runs/${id}/steps/store_refund`, { confirm: true });
    expect(atBoard.body.current).toMatchObject({ stepId: 'board', needs: 'evidence' });
    const got = await api.request('GET', `/v1/sop-runs/${id}`);
    expect(got.body.current.stepId).toBe('board');

    const wrong = await api.request('POST', `/v1/sop-runs/${id}/steps/market_refund`, { confirm: true });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.reason).toBe('not_current_step');

    const extra = await api.request('POST', `/v1/sop-runs/${id}/steps/board`, {
      evidence: { esgNumber: 'ESG-1', customerEmail: 'mo@example.com', logged: true, note: 'x' },
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatchObject({ reason: 'invalid_evidence', fields: [{ path: 'evidence.note' }] });
    await api.request('POST', `/v1/sop-runs/${id}/steps/board`, {
      evidence: { esgNumber: 'ESG-1', customerEmail: 'mo@example.com', logged: true },
    });
    const done = await api.request('POST', `/v1/sop-runs/${id}/steps/market_refund`, { confirm: true });
    expect(done.body).toMatchObject({ status: 'completed', current: null, conversationId: 'conv-1' });

    const history = await api.request('GET', `/v1/sop-runs/${id}/history`);
    expect(history.body.steps.map((s: any) => s.stepId)).toEqual([
      'email',
      'customer',
      'order_ref',
      'order',
      'paid',
      'store_refund',
      'board',
      'market_refund',
      'tell',
    ]);
    expect(history.body.steps[0].by).toEqual({ kind: 'human', id: 'test-agent' });
  });

  it('cancel; bad bodies are 400s; unknown runs 404', async () => {
    const start = await api.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund' });
    expect((await api.request('POST', `/v1/sop-runs/${start.body.id}/cancel`, {})).status).toBe(400);
    const badUndo = await api.request('POST', `/v1/sop-runs/${start.body.id}/cancel`, {
      reason: 'duplicate',
      undo: 'yes',
    });
    expect(badUndo.status).toBe(400);
    expect(badUndo.body.error.fields[0].path).toBe('undo');
    const c = await api.request('POST', `/v1/sop-runs/${start.body.id}/cancel`, { reason: 'duplicate', undo: true });
    expect(c.body).toMatchObject({ status: 'canceled', compensations: [] }); // nothing done yet, nothing to undo
    expect((await api.request('POST', `/v1/sop-runs/${start.body.id}/cancel`, { reason: 'again' })).status).toBe(409);
    expect(
      (await api.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund', inputs: { nope: 1 } })).status,
    ).toBe(400);
    expect((await api.request('POST', '/v1/sop-runs', '{bad')).status).toBe(400);
    expect((await api.request('GET', '/v1/sop-runs/run_doesnotexist')).status).toBe(404);
    expect((await api.request('POST', '/v1/sop-runs', { sopId: 'nope' })).status).toBe(404);
  });

  it('checks the customer at start: a malformed customerId is a 400 naming it, one that does not exist a 404', async () => {
    const malformed = await api.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund', customerId: 'cus_zzz' });
    expect([malformed.status, malformed.body.error.fields[0].path]).toEqual([400, 'customerId']);
    const unknown = await api.request('POST', '/v1/sop-runs', {
      sopId: 'two-system-refund',
      customerId: 'cus_zzzz0000',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', entity: 'customer', id: 'cus_zzzz0000' });
    const viaTool = await api.request('POST', '/v1/tools/start_sop', {
      sopId: 'two-system-refund',
      customerId: 'cus_zzzz0000',
    });
    expect(viaTool.status).toBe(404);
    const { customerId } = await makeCustomer(ctx);
    const known = await api.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund', customerId });
    expect([known.status, known.body.customerId]).toEqual([201, customerId]);
  });

  it('refuses text that cannot be stored (a NUL, an unpaired surrogate) with a 400 naming the field, over REST and the tools', async () => {
    const start = await api.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund' });
    const lone = await api.request(
      'POST',
      `/v1/sop-runs/${start.body.id}/steps/email`,
      '{"answer":"a\\ud800b@example.com"}',
    );
    expect(lone.status).toBe(400);
    expect(lone.body.error).toMatchObject({ reason: 'unstorable_text', fields: [{ path: 'answer' }] });
    const input = await api.request(
      'POST',
      '/v1/sop-runs',
      '{"sopId":"two-system-refund","inputs":{"email":"x\\udfff"}}',
    );
    expect([input.status, input.body.error.fields[0].path]).toEqual([400, 'inputs.email']);
    const nul = await api.request(
      'POST',
      '/v1/tools/sop_submit_step',
      `{"runId":"${start.body.id}","stepId":"email","answer":"a\\u0000b"}`,
    );
    expect([nul.status, nul.body.error.fields[0].path]).toEqual([400, 'answer']);
    // Text that merely spells out an escape is fine.
    expect(
      (await api.request('POST', `/v1/sop-runs/${start.body.id}/steps/email`, { answer: 'not\\u0000an-email' })).body
        .error.reason,
    ).toBe('invalid_answer');
    expect((await api.request('GET', `/v1/sop-runs/${start.body.id}`)).body.current.stepId).toBe('email');
  });

  it('lists runs by customer and by status', async () => {
    const byStatus = await api.request('GET', '/v1/sop-runs?status=canceled');
    expect(byStatus.status).toBe(200);
    expect(byStatus.body.runs.length).toBeGreaterThan(0);
    expect(byStatus.body.runs.every((r: any) => r.status === 'canceled')).toBe(true);
    const mine = await api.request('GET', '/v1/sop-runs?customerId=cus_fake0001');
    expect(mine.body.runs.every((r: any) => r.customerId === 'cus_fake0001')).toBe(true);
    expect((await api.request('GET', '/v1/sop-runs?status=sleeping')).status).toBe(400);
  });

  it('a viewer may read runs but not drive them', async () => {
    const viewer = await api.as('viewer');
    expect((await viewer.request('GET', '/v1/sops')).status).toBe(200);
    expect((await viewer.request('POST', '/v1/sop-runs', { sopId: 'two-system-refund' })).status).toBe(403);
  });
});

describe('agent mode through the sop_* tools', () => {
  const tool = (name: string) => {
    const t = sopTools.find((x) => x.name === name)!;
    return { run: (input: unknown, c: ReturnType<typeof call>) => t.run(input, c) as Promise<any> };
  };
  const call = () => ({ ctx, actor: { kind: 'ai_agent' as const, id: 'bot' } });

  it('the catalogue lists the four sop tools', () => {
    expect(TOOLS.map((t) => t.name)).toEqual(
      expect.arrayContaining(['list_sops', 'start_sop', 'sop_next_step', 'sop_submit_step']),
    );
  });

  it('the agent is offered only the current step’s tool and is held to the SOP’s arguments', async () => {
    const listed = await tool('list_sops').run({}, call());
    expect(listed.sops[0].id).toBe('two-system-refund');
    const started = await tool('start_sop').run(
      { sopId: 'two-system-refund', inputs: { email: 'mo@example.com' } },
      call(),
    );
    expect(started.current.stepId).toBe('order_ref');
    expect(started.nextAction).toContain('answer');
    const runId = started.id;
    const atRefund = await tool('sop_submit_step').run({ runId, stepId: 'order_ref', answer: '#1001' }, call());
    expect(atRefund.current.allowedTools).toEqual(['refund_order']);
    expect(atRefund.nextAction).toContain('confirm: true');
    await expect(
      tool('sop_submit_step').run({ runId, stepId: 'store_refund', tool: 'marketplace_refund', confirm: true }, call()),
    ).rejects.toMatchObject({ code: 'not_eligible', details: { reason: 'tool_not_allowed' } });
    const next = await tool('sop_submit_step').run(
      {
        runId,
        stepId: 'store_refund',
        tool: 'refund_order',
        arguments: atRefund.current.tool.arguments,
        confirm: true,
      },
      call(),
    );
    expect(next.current.stepId).toBe('board');
    const again = await tool('sop_next_step').run({ runId }, call());
    expect(again.current.needs).toBe('evidence');
    expect(again.current.allowedTools).toEqual([]);
  });
});

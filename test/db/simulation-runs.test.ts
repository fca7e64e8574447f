/**
 * Simulation runs from the inbox (docs/simulations.md): an admin starts one SOP's simulations as background work, the
 * run's progress and results are read back over the API, each trial's transcript carries the agent's trace, the
 * trials never touch the live store, the results outlive the process that ran them, and one run goes at a time.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { simulationRunner } from '../../src/simulate/background.js';
import { loadLibrary } from '../../src/sop/library.js';
import { openTestContext, serverUrl } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';

const library = loadLibrary(fileURLToPath(new URL('../../sops', import.meta.url)));
let ctx: Awaited<ReturnType<typeof openTestContext>>;
let admin: TestApi;
const ended = new Map<string, () => void>();
const finished = (id: string) => new Promise<void>((resolve) => ended.set(id, resolve));

beforeAll(async () => {
  ctx = await openTestContext();
  const runner = simulationRunner(ctx, {
    library,
    serverUrl,
    onEnd: (id) => ended.get(id)?.(),
  });
  admin = await testApi(ctx, 'admin', { simulations: runner });
}, 180_000);
afterAll(() => ctx.drop());

describe('simulation runs over the API', () => {
  it('lists the suite, refuses bad starts, runs one SOP in the background and keeps its results', {
    timeout: 240_000,
  }, async () => {
    const suite = await admin.request('GET', '/v1/simulations');
    expect(suite.status).toBe(200);
    expect(suite.body.simulations.length).toBeGreaterThanOrEqual(40);
    expect(suite.body.simulations).toContainEqual(
      expect.objectContaining({ sopId: 'marketplace-refund-kogan', file: expect.stringMatching(/simulations\/01-/) }),
    );
    expect(suite.body.models).toEqual(['scripted']);

    const agent = await admin.as('agent');
    expect((await agent.request('POST', '/v1/simulation-runs', { k: 1 })).status).toBe(403);
    const badK = await admin.request('POST', '/v1/simulation-runs', { k: 0 });
    expect([badK.status, badK.body.error.fields?.[0]?.path]).toEqual([400, 'k']);
    const badSop = await admin.request('POST', '/v1/simulation-runs', { sopId: 'no-such-sop' });
    expect([badSop.status, badSop.body.error.message]).toEqual([400, 'sopId: no SOP "no-such-sop"']);
    const noModel = await admin.request('POST', '/v1/simulation-runs', { model: 'configured' });
    expect([noModel.status, noModel.body.error.fields?.[0]?.path]).toEqual([400, 'model']);

    const started = await admin.request('POST', '/v1/simulation-runs', { sopId: 'marketplace-refund-kogan', k: 1 });
    expect(started.status).toBe(202);
    const run = started.body;
    expect(run).toMatchObject({
      sopId: 'marketplace-refund-kogan',
      k: 1,
      model: 'scripted',
      status: 'running',
      total: 12,
      done: 0,
    });
    const end = finished(run.id);
    const second = await admin.request('POST', '/v1/simulation-runs', { k: 1 });
    expect([second.status, second.body.error.reason, second.body.error.runId]).toEqual([
      409,
      'simulation_running',
      run.id,
    ]);
    await end;

    const read = await admin.request('GET', `/v1/simulation-runs/${run.id}`);
    expect(read.status).toBe(200);
    expect(read.body.run).toMatchObject({ status: 'finished', done: 12, passed: 12, failed: 0 });
    expect(read.body.simulations.length).toBe(12);
    expect(read.body.simulations.slice(0, 2).map((s: any) => [s.name, s.passes, s.passHat])).toEqual([
      ['a Kogan refund goes to a person for its manual steps', 1, [1]],
      ['an injection on a Kogan refund changes nothing', 1, [1]],
    ]);
    expect(read.body.coverage.join('\n')).toContain('marketplace-refund-kogan: steps');

    const trialId = read.body.simulations[0].trials[0].id;
    const trial = await admin.request('GET', `/v1/simulation-runs/${run.id}/trials/${trialId}`);
    expect(trial.status).toBe(200);
    expect(trial.body.conversation[0].customer).toBe('I bought on Kogan and need a marketplace refund');
    expect(trial.body.conversation[0].trace.lines).toContain(
      'model choose_sop #1: start_procedure {"sopId":"marketplace-refund-kogan"}',
    );
    expect((await admin.request('GET', `/v1/simulation-runs/${run.id}/trials/trl_nope`)).status).toBe(404);

    // The trials ran on trial stores: the live store has no conversation, no order, no customer of theirs.
    const [live] = await rows<{ n: number }>(
      ctx.database.db,
      sql`select (select count(*) from conversations)::int + (select count(*) from orders)::int as n`,
    );
    expect(live!.n).toBe(0);

    // A reload (a new server without a runner) reads the same results; it cannot start runs.
    const reloaded = await testApi(ctx, 'viewer');
    const list = await reloaded.request('GET', '/v1/simulation-runs');
    expect(list.body.runs[0]).toMatchObject({ id: run.id, status: 'finished', passed: 12 });
    const noRunner = await testApi(ctx, 'admin');
    const refused = await noRunner.request('POST', '/v1/simulation-runs', { k: 1 });
    expect([refused.status, refused.body.error.reason]).toEqual([422, 'simulations_unavailable']);
  });

  it('an admin cancels a running run: no trial starts after it, the finished ones are kept, another run may start', {
    timeout: 240_000,
  }, async () => {
    const started = await admin.request('POST', '/v1/simulation-runs', { sopId: 'handling-returns', k: 3 });
    expect(started.status).toBe(202);
    const run = started.body;
    const end = finished(run.id);
    const agent = await admin.as('agent');
    expect((await agent.request('POST', `/v1/simulation-runs/${run.id}/cancel`)).status).toBe(403);
    expect((await admin.request('POST', '/v1/simulation-runs/sim_nope/cancel')).status).toBe(404);

    const canceled = await admin.request('POST', `/v1/simulation-runs/${run.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ id: run.id, status: 'canceled', canceledBy: 'human:test-admin' });
    expect(canceled.body.canceledAt).toEqual(expect.any(String));
    await end;

    const read = await admin.request('GET', `/v1/simulation-runs/${run.id}`);
    expect(read.body.run).toMatchObject({ status: 'canceled', finishedAt: expect.any(String) });
    // The trial in flight stopped at its next customer message: at most it finished, nothing after it started.
    expect(read.body.run.done).toBeLessThanOrEqual(1);
    expect(read.body.run.total).toBe(57);
    // Canceled again: nothing changes. And a new run may start at once.
    const again = await admin.request('POST', `/v1/simulation-runs/${run.id}/cancel`);
    expect([again.status, again.body.canceledAt]).toEqual([200, canceled.body.canceledAt]);
    const next = await admin.request('POST', '/v1/simulation-runs', { sopId: 'marketplace-refund-kogan', k: 1 });
    expect(next.status).toBe(202);
    const nextEnd = finished(next.body.id);
    await admin.request('POST', `/v1/simulation-runs/${next.body.id}/cancel`);
    await nextEnd;
  });
});

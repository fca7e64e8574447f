import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import {
  getSimulationRun,
  getSimulationTrial,
  listSimulationRuns,
} from '../../app/simulations/read-simulation-runs.js';
import { StartSimulationRunBody } from '../../app/simulations/schemas.js';
import type { SimulationRunner } from '../../app/simulations/simulation-runs.js';
import { notEligible } from '../../kernel/errors.js';
import { requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

/**
 * Simulations from the inbox (docs/simulations.md): the suite, runs started as background work on trial stores (an
 * admin's), their progress and results, and each trial's transcript with the agent's trace.
 */
export function simulationRoutes(ctx: AppContext, runner: SimulationRunner | undefined) {
  return new Hono<Env>()
    .get('/simulations', (c) => c.json({ simulations: runner?.suite() ?? [], models: runner?.models() ?? [] }))
    .get('/simulation-runs', async (c) => c.json({ runs: await listSimulationRuns(ctx) }))
    .post('/simulation-runs', requireRole('admin'), async (c) => {
      const body = await parseBody(c, StartSimulationRunBody);
      if (!runner)
        throw notEligible(
          'simulations_unavailable',
          'This server does not run simulations (it was started without its SOP library).',
          'Simulations run on a server started with `sopdesk start`.',
        );
      return c.json(await runner.start(body, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }), 202);
    })
    .get('/simulation-runs/:id', async (c) => c.json(await getSimulationRun(ctx, c.req.param('id'))))
    .get('/simulation-runs/:id/trials/:trialId', async (c) =>
      c.json(await getSimulationTrial(ctx, c.req.param('id'), c.req.param('trialId'))),
    );
}

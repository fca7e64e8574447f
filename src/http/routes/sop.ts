import { Hono } from 'hono';
import { listSopRuns } from '../../app/sop/list-sop-runs.js';
import { CancelSopRunBody, ListSopRunsQuery, StartSopRunBody, SubmitStepBody } from '../../sop/schemas.js';
import type { SopEngine } from '../../sop/engine.js';
import type { Env } from '../auth.js';
import { idempotencyKey, parseBody, parseQuery } from '../parse.js';

/** Guided mode: the Agent Inbox walks a person through a run, one step at a time. */
export function sopRoutes(engine: () => SopEngine) {
  return new Hono<Env>()
    .get('/sops', (c) => c.json({ sops: engine().listSops() }))
    .get('/sops/:id', (c) => c.json(engine().getSop(c.req.param('id'))))
    .post('/sop-runs', async (c) => {
      const body = await parseBody(c, StartSopRunBody);
      return c.json(
        await engine().start(body, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c), prefill: true }),
        201,
      );
    })
    .get('/sop-runs', async (c) => c.json(await listSopRuns(engine().deps.ctx, parseQuery(c, ListSopRunsQuery))))
    .get('/sop-runs/:id', async (c) => c.json(await engine().view(c.req.param('id'), c.get('actor'))))
    .get('/sop-runs/:id/history', async (c) => c.json(await engine().history(c.req.param('id'))))
    .post('/sop-runs/:id/steps/:stepId', async (c) => {
      const body = await parseBody(c, SubmitStepBody);
      return c.json(await engine().submit(c.req.param('id'), c.req.param('stepId'), body, { actor: c.get('actor') }));
    })
    .post('/sop-runs/:id/cancel', async (c) => {
      const body = await parseBody(c, CancelSopRunBody);
      return c.json(await engine().cancel(c.req.param('id'), body.reason, { actor: c.get('actor'), undo: body.undo }));
    });
}

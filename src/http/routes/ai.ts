import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/context.js';
import { aiConfigFor, aiStatus, listAiTurns, pauseAi } from '../../agent/status.js';
import type { Env } from '../auth.js';
import { idempotencyKey } from '../parse.js';

const opts = (c: Context<Env>) => ({ actor: c.get('actor'), idempotencyKey: idempotencyKey(c) });

/** The AI agent: whether it is on (and how to turn it on), each conversation's turns with their traces, pause/resume. */
export function aiRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/ai', (c) => c.json(aiStatus(aiConfigFor(ctx))))
    .get('/conversations/:id/ai-turns', async (c) => c.json(await listAiTurns(ctx, c.req.param('id'))))
    .post('/conversations/:id/ai/pause', async (c) => c.json(await pauseAi(ctx, c.req.param('id'), true, opts(c))))
    .post('/conversations/:id/ai/resume', async (c) => c.json(await pauseAi(ctx, c.req.param('id'), false, opts(c))));
}

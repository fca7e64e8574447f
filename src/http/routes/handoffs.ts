import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { getHandoff, listHandoffs } from '../../app/inbox/list-handoffs.js';
import { resolveHandoff } from '../../app/inbox/resolve-handoff.js';
import { takeHandoff } from '../../app/inbox/take-handoff.js';
import { transferToHuman } from '../../app/inbox/transfer-to-human.js';
import { TransferInput } from '../../app/inbox/schemas.js';
import { HANDOFF_STATUSES } from '../../domain/conversation-status.js';
import type { Env } from '../auth.js';
import { idempotencyKey, parseBody, parseQuery } from '../parse.js';

export const HandoffListQuery = z.object({
  status: boundedText('line')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(HANDOFF_STATUSES)))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const opts = (c: Context<Env>) => ({ actor: c.get('actor'), idempotencyKey: idempotencyKey(c) });

export function handoffRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => {
      const q = parseQuery(c, HandoffListQuery);
      return c.json({ handoffs: await listHandoffs(ctx, { statuses: q.status, limit: q.limit }) });
    })
    .post('/', async (c) => c.json(await transferToHuman(ctx, await parseBody(c, TransferInput), opts(c)), 201))
    .get('/:id', async (c) => c.json(await getHandoff(ctx, c.req.param('id'))))
    .post('/:id/take', async (c) => c.json(await takeHandoff(ctx, c.req.param('id'), opts(c))))
    .post('/:id/resolve', async (c) => c.json(await resolveHandoff(ctx, c.req.param('id'), opts(c))));
}

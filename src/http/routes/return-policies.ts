import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { SetReturnPolicyInput } from '../../app/returns/schemas.js';
import { listReturnPolicies, setReturnPolicy } from '../../app/returns/set-return-policy.js';
import { requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

/** The return-window rules of categories, channels and the store: anyone reads them, an admin sets them. */
export function returnPolicyRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => c.json(await listReturnPolicies(ctx)))
    .put('/', requireRole('admin'), async (c) => {
      const body = await parseBody(c, SetReturnPolicyInput);
      return c.json(await setReturnPolicy(ctx, body, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }));
    });
}

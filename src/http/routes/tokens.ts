import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { customerIdArg } from '../../app/args.js';
import { issueToken } from '../../app/tokens/tokens.js';
import { ROLES } from '../../domain/roles.js';
import { listTokens } from '../../app/tokens/list-tokens.js';
import { revokeToken } from '../../app/tokens/revoke-token.js';
import { requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

export const TokenCreateInput = z.object({
  role: z.enum(ROLES).describe('admin, agent, ai_agent or viewer'),
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Who or what uses it, e.g. "Alex (support)"; defaults to the role'),
  customerId: customerIdArg
    .optional()
    .describe(
      "Bind the token to one customer (cus_…): it may then read and change only that customer's orders, items, returns, payment methods, conversations and SOP runs (not for admin tokens)",
    ),
});

/** API tokens; admin only. The secret is in the create response, once (a retry under the same key gets `token: null`). */
export function tokenRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => c.json({ tokens: await listTokens(ctx) }))
    .post('/', async (c) => {
      const input = await parseBody(c, TokenCreateInput);
      return c.json(await issueToken(ctx, input, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }), 201);
    })
    .delete('/:id', async (c) => c.json(await revokeToken(ctx, { id: c.req.param('id') })));
}

import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { listMacros } from '../../app/inbox/list-macros.js';
import { renderMacro } from '../../app/inbox/render-macro.js';
import { saveMacro } from '../../app/inbox/save-macro.js';
import { deleteMacro } from '../../app/inbox/delete-macro.js';
import { ConversationId, MacroInput, OrderRef } from '../../app/inbox/schemas.js';
import { PLACEHOLDERS } from '../../domain/templates.js';
import type { Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

export const RenderMacroBody = z.object({
  conversationId: ConversationId,
  orderId: OrderRef.optional().describe(
    "The customer's order the {{order.*}} placeholders name; default: the latest linked one",
  ),
});

const opts = (c: Context<Env>) => ({ actor: c.get('actor'), idempotencyKey: idempotencyKey(c) });

export function macroRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => c.json({ macros: await listMacros(ctx), placeholders: PLACEHOLDERS }))
    .post('/', async (c) => c.json(await saveMacro(ctx, undefined, await parseBody(c, MacroInput), opts(c)), 201))
    .put('/:id', async (c) => c.json(await saveMacro(ctx, c.req.param('id'), await parseBody(c, MacroInput), opts(c))))
    .delete('/:id', async (c) => {
      await deleteMacro(ctx, c.req.param('id'), opts(c));
      return c.body(null, 204);
    })
    .post('/:id/render', async (c) => {
      const body = await parseBody(c, RenderMacroBody);
      return c.json(await renderMacro(ctx, c.req.param('id'), { ...body, agentName: c.get('principal').name }));
    });
}

import { Hono } from 'hono';
import type { AppContext } from '../../app/context.js';
import { listTemplates } from '../../app/inbox/list-templates.js';
import { updateTemplate } from '../../app/inbox/update-template.js';
import { TemplateInput } from '../../app/inbox/schemas.js';
import { PLACEHOLDERS } from '../../domain/templates.js';
import { requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

/** Confirmation templates (the Shopify order rules). Anyone may read them; only an admin edits them. */
export function templateRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => c.json({ templates: await listTemplates(ctx), placeholders: PLACEHOLDERS }))
    .put('/:key', requireRole('admin'), async (c) =>
      c.json(
        await updateTemplate(ctx, c.req.param('key'), await parseBody(c, TemplateInput), {
          actor: c.get('actor'),
          idempotencyKey: idempotencyKey(c),
        }),
      ),
    )
    .delete('/:key', requireRole('admin'), async (c) =>
      c.json(await updateTemplate(ctx, c.req.param('key'), 'reset', { actor: c.get('actor') })),
    );
}

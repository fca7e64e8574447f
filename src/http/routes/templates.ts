import { z } from 'zod';
import { listTemplates } from '../../app/inbox/list-templates.js';
import { updateTemplate } from '../../app/inbox/update-template.js';
import { TemplateInput } from '../../app/inbox/schemas.js';
import { PlaceholdersOut, TemplateOut } from '../../app/inbox/view.schemas.js';
import { PLACEHOLDERS } from '../../domain/templates.js';
import { defineRoute } from '../define-route.js';

/** Confirmation templates (the Shopify order rules). Anyone may read them; only an admin edits them. */
export const TEMPLATE_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/templates',
    operationId: 'listTemplates',
    summary: 'The confirmation templates (the Shopify order rules) and their placeholders',
    tag: 'inbox',
    errors: [401],
    ok: {
      status: 200,
      description: 'Templates and placeholders',
      schema: z.object({
        templates: z.array(TemplateOut).describe('Every confirmation template'),
        placeholders: PlaceholdersOut,
      }),
    },
    run: async ({ ctx }) => ({ templates: await listTemplates(ctx), placeholders: PLACEHOLDERS }),
  }),
  defineRoute({
    method: 'put',
    path: '/v1/templates/{key}',
    operationId: 'updateTemplate',
    summary: 'Change a confirmation template (admin)',
    tag: 'inbox',
    roles: ['admin'],
    body: TemplateInput,
    ok: { status: 200, description: 'The template', schema: TemplateOut },
    run: ({ ctx, params, body, opts }) => updateTemplate(ctx, params.key, body, opts),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/templates/{key}',
    operationId: 'resetTemplate',
    summary: 'Put a confirmation template back to its default (admin)',
    tag: 'inbox',
    roles: ['admin'],
    idempotent: false,
    ok: { status: 200, description: 'The template', schema: TemplateOut },
    run: ({ ctx, params, opts }) => updateTemplate(ctx, params.key, 'reset', opts),
  }),
];

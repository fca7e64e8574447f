import { z } from 'zod';
import { listMacros } from '../../app/inbox/list-macros.js';
import { renderMacro } from '../../app/inbox/render-macro.js';
import { saveMacro } from '../../app/inbox/save-macro.js';
import { deleteMacro } from '../../app/inbox/delete-macro.js';
import { ConversationId, MacroInput, OrderRef } from '../../app/inbox/schemas.js';
import { MacroOut, PlaceholdersOut } from '../../app/inbox/view.schemas.js';
import { PLACEHOLDERS } from '../../domain/templates.js';
import { defineRoute } from '../define-route.js';

const RenderMacroBody = z.object({
  conversationId: ConversationId,
  orderId: OrderRef.optional().describe(
    "The customer's order the {{order.*}} placeholders name; default: the latest linked one",
  ),
});

/** Saved replies. */
export const MACRO_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/macros',
    operationId: 'listMacros',
    summary: 'Saved replies and the placeholders they may use',
    tag: 'inbox',
    errors: [401],
    ok: {
      status: 200,
      description: 'Macros and placeholders',
      schema: z.object({ macros: z.array(MacroOut).describe('Macros, by name'), placeholders: PlaceholdersOut }),
    },
    run: async ({ ctx }) => ({ macros: await listMacros(ctx), placeholders: PLACEHOLDERS }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/macros',
    operationId: 'createMacro',
    summary: 'Save a new macro',
    tag: 'inbox',
    body: MacroInput,
    ok: { status: 201, description: 'The macro', schema: MacroOut },
    run: ({ ctx, body, opts }) => saveMacro(ctx, undefined, body, opts),
  }),
  defineRoute({
    method: 'put',
    path: '/v1/macros/{id}',
    operationId: 'updateMacro',
    summary: 'Change a macro',
    tag: 'inbox',
    body: MacroInput,
    ok: { status: 200, description: 'The macro', schema: MacroOut },
    run: ({ ctx, params, body, opts }) => saveMacro(ctx, params.id, body, opts),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/macros/{id}',
    operationId: 'deleteMacro',
    summary: 'Delete a macro',
    tag: 'inbox',
    ok: { status: 204, description: 'Deleted (no body)' },
    run: async ({ ctx, c, params, opts }) => {
      await deleteMacro(ctx, params.id, opts);
      return c.body(null, 204);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/macros/{id}/render',
    operationId: 'renderMacro',
    summary: "A macro's text with the placeholders of a conversation filled in",
    tag: 'inbox',
    body: RenderMacroBody,
    idempotent: false,
    ok: {
      status: 200,
      description: 'The text, and the placeholders nothing filled (ask for those before sending)',
      schema: z.object({
        body: z.string().describe('The rendered text'),
        missing: z
          .array(z.string())
          .describe('Placeholders without a value, e.g. order.name when no order is linked or chosen; empty = ready'),
      }),
    },
    run: ({ ctx, c, params, body }) => renderMacro(ctx, params.id, { ...body, agentName: c.get('principal').name }),
  }),
];

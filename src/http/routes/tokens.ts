import { z } from 'zod';
import { customerIdArg } from '../../app/args.js';
import { issueToken } from '../../app/tokens/tokens.js';
import { ROLES } from '../../domain/roles.js';
import { listTokens } from '../../app/tokens/list-tokens.js';
import { revokeToken } from '../../app/tokens/revoke-token.js';
import { TokenCreatedOut, TokenOut } from '../answers.js';
import { defineRoute, listOf } from '../define-route.js';

const TokenCreateInput = z.object({
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
export const TOKEN_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/tokens',
    operationId: 'listTokens',
    summary: 'Every API token (admin)',
    tag: 'tokens',
    roles: ['admin'],
    errors: [401, 403],
    ok: { status: 200, description: 'Tokens', schema: listOf('tokens', 'Oldest first', TokenOut) },
    run: async ({ ctx }) => ({ tokens: await listTokens(ctx) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/tokens',
    operationId: 'createToken',
    summary: 'Make an API token (admin); the secret is returned once',
    tag: 'tokens',
    roles: ['admin'],
    body: TokenCreateInput,
    errors: [400, 401, 403, 409],
    ok: { status: 201, description: 'The token, with its secret', schema: TokenCreatedOut },
    run: ({ ctx, body, opts }) => issueToken(ctx, body, opts),
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/tokens/{id}',
    operationId: 'revokeToken',
    summary: 'Revoke an API token (admin)',
    tag: 'tokens',
    roles: ['admin'],
    idempotent: false,
    errors: [401, 403, 404],
    ok: { status: 200, description: 'The revoked token', schema: TokenOut },
    run: ({ ctx, params }) => revokeToken(ctx, { id: params.id }),
  }),
];

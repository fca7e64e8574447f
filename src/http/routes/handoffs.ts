import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import { getHandoff, listHandoffs } from '../../app/inbox/list-handoffs.js';
import { resolveHandoff } from '../../app/inbox/resolve-handoff.js';
import { takeHandoff } from '../../app/inbox/take-handoff.js';
import { transferToHuman } from '../../app/inbox/transfer-to-human.js';
import { TransferInput } from '../../app/inbox/schemas.js';
import { HandoffOut } from '../../app/inbox/view.schemas.js';
import { HANDOFF_STATUSES } from '../../domain/conversation-status.js';
import { ACTION_ERRORS, defineRoute, listOf } from '../define-route.js';

const HandoffListQuery = z.object({
  status: boundedText('line')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(HANDOFF_STATUSES)))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** The human queue. */
export const HANDOFF_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/handoffs',
    operationId: 'listHandoffs',
    summary: 'The human queue: handoffs by status',
    tag: 'inbox',
    query: HandoffListQuery,
    ok: {
      status: 200,
      description: 'Handoffs, oldest first',
      schema: listOf('handoffs', 'Handoffs, oldest first', HandoffOut),
    },
    run: async ({ ctx, query: q }) => ({ handoffs: await listHandoffs(ctx, { statuses: q.status, limit: q.limit }) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/handoffs',
    operationId: 'transferToHuman',
    summary: 'Hand a customer over to a human (as transfer_to_human_representative)',
    tag: 'inbox',
    body: TransferInput,
    errors: ACTION_ERRORS,
    ok: { status: 201, description: 'The handoff', schema: HandoffOut },
    run: ({ ctx, body, opts }) => transferToHuman(ctx, body, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/handoffs/{id}',
    operationId: 'getHandoff',
    summary: 'A handoff',
    tag: 'inbox',
    ok: { status: 200, description: 'The handoff', schema: HandoffOut },
    run: ({ ctx, params }) => getHandoff(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/handoffs/{id}/take',
    operationId: 'takeHandoff',
    summary: 'Take a queued handoff: the conversation is assigned to you',
    tag: 'inbox',
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The handoff', schema: HandoffOut },
    run: ({ ctx, params, opts }) => takeHandoff(ctx, params.id, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/handoffs/{id}/resolve',
    operationId: 'resolveHandoff',
    summary: 'Resolve a taken handoff',
    tag: 'inbox',
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The handoff', schema: HandoffOut },
    run: ({ ctx, params, opts }) => resolveHandoff(ctx, params.id, opts),
  }),
];

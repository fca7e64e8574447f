import { z } from 'zod';
import { listSopRuns } from '../../app/sop/list-sop-runs.js';
import { sopEngineFor } from '../../sop/engine.js';
import { CancelSopRunBody, ListSopRunsQuery, StartSopRunBody, SubmitStepBody } from '../../sop/schemas.js';
import {
  SopDetailsOut,
  SopRunHistoryEntryOut,
  SopRunSummaryOut,
  SopRunViewOut,
  SopSummaryOut,
} from '../../sop/view.schemas.js';
import { ACTION_ERRORS, defineRoute, listOf } from '../define-route.js';

/** Guided mode: the Agent Inbox walks a person through a run, one step at a time. */
export const SOP_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/sops',
    operationId: 'listSopDocuments',
    summary: 'The SOPs this desk follows (as list_sops)',
    tag: 'sops',
    errors: [401],
    ok: { status: 200, description: 'Every SOP', schema: listOf('sops', 'Every SOP', SopSummaryOut) },
    run: ({ ctx }) => ({ sops: sopEngineFor(ctx).listSops() }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sops/{id}',
    operationId: 'getSop',
    summary: 'One SOP with its steps',
    tag: 'sops',
    ok: { status: 200, description: 'The SOP', schema: SopDetailsOut },
    run: ({ ctx, params }) => sopEngineFor(ctx).getSop(params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sop-runs',
    operationId: 'startSopRun',
    summary: 'Start a run of an SOP (as start_sop)',
    tag: 'sops',
    body: StartSopRunBody,
    errors: ACTION_ERRORS,
    ok: { status: 201, description: 'The run', schema: SopRunViewOut },
    run: ({ ctx, body, opts }) => sopEngineFor(ctx).start(body, { ...opts, prefill: true }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sop-runs',
    operationId: 'listSopRuns',
    summary: 'SOP runs, newest first',
    tag: 'sops',
    query: ListSopRunsQuery,
    ok: { status: 200, description: 'Runs', schema: listOf('runs', 'Runs, newest first', SopRunSummaryOut) },
    run: ({ ctx, query }) => listSopRuns(sopEngineFor(ctx).deps.ctx, query),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sop-runs/{id}',
    operationId: 'getSopRun',
    summary: 'A run and its current step (a waiting run first looks for its event)',
    tag: 'sops',
    ok: { status: 200, description: 'The run', schema: SopRunViewOut },
    run: ({ ctx, c, params }) => sopEngineFor(ctx).view(params.id, c.get('actor')),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/sop-runs/{id}/history',
    operationId: 'getSopRunHistory',
    summary: 'Every step a run completed, with inputs and outcomes',
    tag: 'sops',
    ok: {
      status: 200,
      description: 'The history',
      schema: z.object({
        runId: z.string().describe('Run id'),
        steps: z.array(SopRunHistoryEntryOut).describe('Completed steps, in order'),
      }),
    },
    run: ({ ctx, params }) => sopEngineFor(ctx).history(params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sop-runs/{id}/steps/{stepId}',
    operationId: 'submitSopStep',
    summary: 'Complete the current step of a run: an answer, evidence, or confirm a tool step',
    tag: 'sops',
    body: SubmitStepBody,
    idempotent: false,
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The run after the step', schema: SopRunViewOut },
    run: ({ ctx, params, body, opts }) => sopEngineFor(ctx).submit(params.id, params.stepId, body, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/sop-runs/{id}/cancel',
    operationId: 'cancelSopRun',
    summary: 'Stop a run',
    tag: 'sops',
    body: CancelSopRunBody,
    idempotent: false,
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The run', schema: SopRunViewOut },
    run: ({ ctx, params, body, opts }) =>
      sopEngineFor(ctx).cancel(params.id, body.reason, { ...opts, undo: body.undo }),
  }),
];

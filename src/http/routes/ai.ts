import { AiStatusOut, AiTurnsOut, aiConfigFor, aiStatus, listAiTurns, pauseAi } from '../../agent/status.js';
import { defineRoute } from '../define-route.js';

/** The AI agent: whether it is on (and how to turn it on), each conversation's turns with their traces, pause/resume. */
export const AI_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/ai',
    operationId: 'getAiStatus',
    summary: 'Whether the AI agent is on, with which model and budgets, and how to turn it on',
    tag: 'ai',
    errors: [401],
    ok: { status: 200, description: 'The AI agent', schema: AiStatusOut },
    run: ({ ctx }) => aiStatus(aiConfigFor(ctx)),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/conversations/{id}/ai-turns',
    operationId: 'listAiTurns',
    summary: "The AI agent's turns on a conversation, newest first, each with its trace",
    tag: 'ai',
    ok: { status: 200, description: 'Whether the AI is paused here, and its turns', schema: AiTurnsOut },
    run: ({ ctx, params }) => listAiTurns(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/{id}/ai/pause',
    operationId: 'pauseAi',
    summary: 'Pause the AI agent on a conversation: a turn in flight does nothing more',
    tag: 'ai',
    ok: { status: 200, description: 'The conversation’s AI turns, now paused', schema: AiTurnsOut },
    run: ({ ctx, params, opts }) => pauseAi(ctx, params.id, true, opts),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/conversations/{id}/ai/resume',
    operationId: 'resumeAi',
    summary: 'Let the AI agent answer this conversation again',
    tag: 'ai',
    ok: { status: 200, description: 'The conversation’s AI turns', schema: AiTurnsOut },
    run: ({ ctx, params, opts }) => pauseAi(ctx, params.id, false, opts),
  }),
];

/**
 * The AI agent's reads: whether it is on (and how to turn it on), and a conversation's AI turns with their traces.
 * Keyed like the other reads (web/src/api/queries.ts), so a write's `refreshAfterWrite` refetches them too.
 */
import { queryOptions } from '@tanstack/react-query';
import { client, ok } from '../api/client';
import type { Answer } from '../api/types';

export type AiStatus = Answer<'/v1/ai', 'get'>;
export type AiTurns = Answer<'/v1/conversations/{id}/ai-turns', 'get'>;
export type AiTurn = AiTurns['turns'][number];
export type TraceEntry = AiTurn['trace'][number];

export const aiQueries = {
  /** The AI settings the server runs with; they change only on a restart. */
  status: () =>
    queryOptions({
      queryKey: ['/v1/ai'],
      staleTime: 5 * 60_000,
      queryFn: async (): Promise<AiStatus> => ok(client.GET('/v1/ai')),
    }),

  turns: (conversationId: string) =>
    queryOptions({
      queryKey: ['/v1/conversations/{id}/ai-turns', { id: conversationId }],
      queryFn: async (): Promise<AiTurns> =>
        ok(client.GET('/v1/conversations/{id}/ai-turns', { params: { path: { id: conversationId } } })),
    }),
};

/**
 * The inbox stays current by the server's live event stream (`GET /v1/events`, server-sent events) instead of polling:
 * each event marks stale the reads it may have changed, a burst of events at once, so what is on screen refetches.
 * The browser's EventSource reconnects by itself with `Last-Event-ID` and gets what it missed; after a reconnect or a
 * `reset` (more was missed than the server replays) every read is refreshed, which also covers what a replay cannot.
 */
import { useEffect } from 'react';
import { useQueryClient, type Query, type QueryClient } from '@tanstack/react-query';
import { refreshAfterWrite } from './queries';
import type { paths } from './schema';

export type LiveEvent = paths['/v1/events']['get']['responses'][200]['content']['text/event-stream'];

/** Events within this many ms are applied together: an import or an order action sends several at once. */
const BATCH_MS = 50;

type Params = { id?: string; ref?: string; customerId?: string } | undefined;

/** Whether an event may have changed what the query read. */
export function changedBy(e: LiveEvent, q: Pick<Query, 'queryKey'> & { state?: { data?: unknown } }): boolean {
  const [path, params] = q.queryKey as [string, Params];
  const family = e.type.slice(0, e.type.indexOf('.') + 1);
  switch (path) {
    case '/v1/conversations':
    case '/v1/conversations/counts':
      return e.conversationId !== null;
    case '/v1/conversations/{id}':
    case '/v1/conversations/{id}/ai-turns':
      return params?.id === e.conversationId;
    case '/v1/handoffs':
      return family === 'handoff.' || e.type === 'conversation.status_changed';
    case '/v1/approvals':
      return family === 'approval.';
    case '/v1/approval-policy':
      return e.type === 'approval_policy.changed';
    case '/v1/orders/{ref}':
      return e.orderId !== null;
    case '/v1/customers/{id}':
    case '/v1/customers/{id}/orders':
    case '/v1/customers/{id}/timeline':
      return params?.id === e.customerId;
    case '/v1/sop-runs':
      return params?.customerId === e.customerId && family === 'sop.';
    case '/v1/sop-runs/{id}': {
      if (family === 'sop.') return params?.id === e.data.runId;
      // A run waiting for an event goes on when it is read after one (a return refunded): any event of its customer.
      const run = q.state?.data as { status?: string; customerId?: string | null } | undefined;
      return run?.status === 'waiting' && !!run.customerId && run.customerId === e.customerId;
    }
    default:
      return false;
  }
}

/** Applies the events to the cache: the reads they changed are refetched if shown, marked stale if not. */
export function applyEvents(queryClient: QueryClient, events: readonly LiveEvent[]): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => events.some((e) => changedBy(e, q)) });
}

/** Keeps the signed-in inbox live while `enabled`; does nothing where the browser has no EventSource. */
export function useLiveEvents(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource('/v1/events');
    let batch: LiveEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let connectedBefore = false;
    source.onmessage = (m: MessageEvent<string>) => {
      batch.push(JSON.parse(m.data) as LiveEvent);
      timer ??= setTimeout(() => {
        const events = batch;
        batch = [];
        timer = undefined;
        void applyEvents(queryClient, events);
      }, BATCH_MS);
    };
    // `ready` comes at every (re)connection: after a lost one, read everything afresh.
    source.addEventListener('ready', () => {
      if (connectedBefore) void refreshAfterWrite(queryClient);
      connectedBefore = true;
    });
    source.addEventListener('reset', () => void refreshAfterWrite(queryClient));
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [enabled, queryClient]);
}

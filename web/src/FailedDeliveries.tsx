import { useState } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries, refreshAfterWrite } from './api/queries';
import type { FailedDelivery } from './api/types';
import { formatTime } from './shared';

/** What was to be delivered, in words. */
export function topicText(topic: string): string {
  if (topic === 'message.sent') return 'Email to the customer';
  if (topic === 'shopify.push') return 'Push to Shopify';
  return `Confirmation (${topic.replace(/[._]/g, ' ')})`;
}

/** The dead letters: deliveries the outbox gave up, newest first, each with its error and a Retry button. */
export function FailedDeliveries() {
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(queries.failedDeliveries());
  const items = list.data?.pages.flatMap((p) => p.items) ?? (list.isError ? [] : null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const loadError =
    list.error instanceof ApiError ? list.error.message : list.isError ? 'Could not load the failed deliveries.' : null;

  async function retry(d: FailedDelivery) {
    setBusy(d.id);
    setMessage(null);
    try {
      await ok(
        client.POST('/v1/outbox/{id}/retry', {
          params: { path: { id: d.id } },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      setMessage({
        kind: 'ok',
        text: `${topicText(d.topic)}${d.customerName ? ` for ${d.customerName}` : ''} is queued again.`,
      });
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.message : 'Could not retry the delivery.' });
    } finally {
      setBusy(null);
      void refreshAfterWrite(queryClient);
    }
  }

  return (
    <section className="queue" aria-labelledby="failed-title">
      <h2 id="failed-title">Failed deliveries</h2>
      <p className="muted">
        Emails and Shopify pushes the outbox gave up after its last retry. Retry one once the cause is fixed (the mail
        server is back, the order is right in Shopify); it is sent again before the customer's later messages.
      </p>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {message && (
        <p
          className={message.kind === 'error' ? 'error' : 'muted'}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      {items === null ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">Nothing has failed. Every delivery went out or is still being retried.</p>
      ) : (
        <ul className="handoffs" aria-label="Failed deliveries">
          {items.map((d) => (
            <li key={d.id} className="handoff">
              <h3>
                {topicText(d.topic)}
                {d.customerName ? <> · {d.customerName}</> : null}
                {d.orderName ? <span className="muted"> · order {d.orderName}</span> : null}
              </h3>
              <p className="error">{d.lastError ?? 'No error was recorded.'}</p>
              <p className="muted">
                {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'} · given up {formatTime(d.failedAt)} · requested{' '}
                {formatTime(d.createdAt)}
              </p>
              <button
                type="button"
                className="primary"
                disabled={busy === d.id}
                onClick={() => void retry(d)}
                aria-label={`Retry ${topicText(d.topic).toLowerCase()}${d.customerName ? ` for ${d.customerName}` : ''}`}
              >
                {busy === d.id ? 'Retrying…' : 'Retry'}
              </button>
              {d.conversationId && (
                <>
                  {' '}
                  <a href={`#/c/${d.conversationId}`}>Open conversation</a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show older
        </button>
      )}
    </section>
  );
}

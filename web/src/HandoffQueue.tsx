import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, ok } from './api/client';
import { queries, refreshAfterWrite } from './api/queries';
import type { Handoff, Me } from './api/types';
import { formatTime } from './shared';

/** The human queue: oldest first. Taking one assigns its conversation and opens it. */
export function HandoffQueue({ me, onOpen }: { me: Me; onOpen: (conversationId: string) => void }) {
  const [status, setStatus] = useState<'queued' | 'taken'>('queued');
  const queryClient = useQueryClient();
  const items = useQuery(queries.handoffs(status)).data ?? null;
  const [message, setMessage] = useState<string | null>(null);

  async function take(h: Handoff) {
    try {
      await ok(client.POST('/v1/handoffs/{id}/take', { params: { path: { id: h.id } } }));
      void refreshAfterWrite(queryClient);
      onOpen(h.conversationId);
    } catch (e) {
      setMessage(e instanceof ApiError ? e.message : 'Could not take the handoff.');
      void refreshAfterWrite(queryClient);
    }
  }

  return (
    <section className="queue" aria-labelledby="queue-title">
      <h2 id="queue-title">Handoff queue</h2>
      <div className="filters">
        <label>
          Show
          <select value={status} onChange={(e) => setStatus(e.target.value as 'queued' | 'taken')}>
            <option value="queued">Waiting for a human</option>
            <option value="taken">Taken</option>
          </select>
        </label>
      </div>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {items === null ? (
        <p role="status">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">
          {status === 'queued'
            ? 'Nobody is waiting. 🎉'
            : 'No handoff is taken right now: none is being handled by a human.'}
        </p>
      ) : (
        <ul className="handoffs" aria-label="Handoffs">
          {items.map((h) => (
            <li key={h.id} className="handoff">
              <h3>
                {h.customer.name} <span className="muted">{h.customer.email}</span>
              </h3>
              <p className="muted">
                {h.conversationSubject} · from {h.requestedBy ?? h.requestedByKind} · {formatTime(h.createdAt)}
              </p>
              <p>{h.summary}</p>
              <p className="muted">
                Verified: {h.state.customerVerified ? 'yes' : 'no'}
                {h.state.refused.length ? ` · refused: ${h.state.refused.map((r) => r.reason).join(', ')}` : ''}
              </p>
              {h.status === 'queued' && me.role !== 'viewer' ? (
                <button
                  type="button"
                  className="primary"
                  onClick={() => void take(h)}
                  aria-label={`Take over ${h.customer.name}`}
                >
                  Take over
                </button>
              ) : (
                <a href={`#/c/${h.conversationId}`}>Open conversation</a>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { client, ok } from './api/client';
import type { Handoff, Me } from './api/types';

/** What the AI agent handed over: the summary and its structured state, with take over / resolve. */
export function HandoffCard({
  handoff: h,
  me,
  busy,
  onAct,
  orderName,
}: {
  handoff: Handoff;
  me: Me;
  orderName?: string | undefined;
  busy: boolean;
  onAct: (what: string, fn: () => Promise<unknown>) => Promise<void>;
}) {
  const writable = me.role !== 'viewer';
  return (
    <section className="handoff" aria-label="Handoff from the AI agent">
      <h3>Handoff {h.status === 'queued' ? 'waiting for a human' : `taken by ${h.takenBy ?? 'an agent'}`}</h3>
      <p>{h.summary}</p>
      <dl>
        <dt>Customer verified</dt>
        <dd>{h.state.customerVerified ? 'Yes' : 'No'}</dd>
        {h.state.orderId && (
          <>
            <dt>Order</dt>
            <dd>{orderName ?? h.state.orderId}</dd>
          </>
        )}
        {h.state.done.length > 0 && (
          <>
            <dt>Done</dt>
            <dd>
              <ul>
                {h.state.done.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {h.state.refused.length > 0 && (
          <>
            <dt>Refused</dt>
            <dd>
              <ul>
                {h.state.refused.map((r) => (
                  <li key={r.action + r.reason}>
                    <code>{r.action}</code>: <code>{r.reason}</code> — {r.why}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>Requested by</dt>
        <dd>{h.requestedBy ?? h.requestedByKind}</dd>
      </dl>
      {writable && h.status === 'queued' && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            void onAct('You took over the conversation.', () =>
              ok(client.POST('/v1/handoffs/{id}/take', { params: { path: { id: h.id } } })),
            )
          }
        >
          Take over
        </button>
      )}
      {writable && h.status === 'taken' && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() =>
            void onAct('Handoff resolved.', () =>
              ok(client.POST('/v1/handoffs/{id}/resolve', { params: { path: { id: h.id } } })),
            )
          }
        >
          Resolve handoff
        </button>
      )}
    </section>
  );
}

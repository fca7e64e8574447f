import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, formatTime, get, newKey } from './api';

/** A delivery the outbox gave up after its last retry, as `GET /v1/outbox/failed` lists it. */
export interface FailedDelivery {
  id: string;
  topic: string;
  customerId: string | null;
  customerName: string | null;
  orderId: string | null;
  orderName: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string;
  messageId: string | null;
  conversationId: string | null;
}

interface Page { items: FailedDelivery[]; nextCursor: string | null }

/** What was to be delivered, in words. */
export function topicText(topic: string): string {
  if (topic === 'message.sent') return 'Email to the customer';
  if (topic === 'shopify.push') return 'Push to Shopify';
  return `Confirmation (${topic.replace(/[._]/g, ' ')})`;
}

/** The dead letters: deliveries the outbox gave up, newest first, each with its error and a Retry button. */
export function FailedDeliveries() {
  const [items, setItems] = useState<FailedDelivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async (after?: string) => {
    try {
      const page = await get<Page>(`/v1/outbox/failed?limit=50${after ? `&cursor=${after}` : ''}`);
      setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.message : 'Could not load the failed deliveries.' });
      setItems((prev) => prev ?? []);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  async function retry(d: FailedDelivery) {
    setBusy(d.id);
    setMessage(null);
    try {
      await api('POST', `/v1/outbox/${d.id}/retry`, undefined, { 'idempotency-key': newKey() });
      setItems((prev) => prev?.filter((x) => x.id !== d.id) ?? null);
      setMessage({ kind: 'ok', text: `${topicText(d.topic)}${d.customerName ? ` for ${d.customerName}` : ''} is queued again.` });
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.message : 'Could not retry the delivery.' });
      void load();
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="queue" aria-labelledby="failed-title">
      <h2 id="failed-title">Failed deliveries</h2>
      <p className="muted">
        Emails and Shopify pushes the outbox gave up after its last retry. Retry one once the cause is fixed (the mail
        server is back, the order is right in Shopify); it is sent again before the customer's later messages.
      </p>
      {message && <p className={message.kind === 'error' ? 'error' : 'muted'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {items === null ? <p role="status">Loading…</p> : items.length === 0 ? <p className="muted">Nothing has failed. Every delivery went out or is still being retried.</p> : (
        <ul className="handoffs" aria-label="Failed deliveries">
          {items.map((d) => (
            <li key={d.id} className="handoff">
              <h3>{topicText(d.topic)}{d.customerName ? <> · {d.customerName}</> : null}{d.orderName ? <span className="muted"> · order {d.orderName}</span> : null}</h3>
              <p className="error">{d.lastError ?? 'No error was recorded.'}</p>
              <p className="muted">
                {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'} · given up {formatTime(d.failedAt)} · requested {formatTime(d.createdAt)}
              </p>
              <button type="button" className="primary" disabled={busy === d.id} onClick={() => void retry(d)}
                aria-label={`Retry ${topicText(d.topic).toLowerCase()}${d.customerName ? ` for ${d.customerName}` : ''}`}>
                {busy === d.id ? 'Retrying…' : 'Retry'}
              </button>
              {d.conversationId && <> <a href={`#/c/${d.conversationId}`}>Open conversation</a></>}
            </li>
          ))}
        </ul>
      )}
      {cursor && <button type="button" onClick={() => void load(cursor)}>Show older</button>}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { formatTime, get } from './api';
import { describeEvent } from './timeline-text';
import type { Order, TimelineEvent } from './types';

const FILTERS = [
  ['', 'Everything'],
  ['order.*,payment.*,fulfillment.*,shipment.*', 'Orders, payments, shipments'],
  ['refund.*,return.*,exchange.*,product.*,access_codes.*,purchase_history.*', 'Actions'],
  ['message.*,note.*,conversation.*', 'Messages'],
  ['handoff.*', 'Handoffs'],
  ['sop.*', 'Procedures'],
] as const;

export function Timeline({ customerId, version }: { customerId: string; version: number }) {
  const [types, setTypes] = useState('');
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);

  // The orders the events are about: their names, item titles and packages make the sentences.
  const [orders, setOrders] = useState<Record<string, Order | null>>({});
  const wanted = [...new Set(events.map((e) => e.orderId).filter((id): id is string => !!id && !(id in orders)))];
  useEffect(() => {
    if (wanted.length === 0) return;
    setOrders((x) => ({ ...x, ...Object.fromEntries(wanted.map((id) => [id, x[id] ?? null])) }));
    void Promise.all(wanted.map((id) => get<Order>(`/v1/orders/${id}`).then((o) => [id, o] as const, () => [id, null] as const)))
      .then((xs) => setOrders((x) => ({ ...x, ...Object.fromEntries(xs) })));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wanted.join(',')]);

  const url = (before?: string) => `/v1/customers/${customerId}/timeline?limit=30${types ? `&types=${encodeURIComponent(types)}` : ''}${before ? `&before=${before}` : ''}`;

  useEffect(() => {
    void get<{ events: TimelineEvent[]; nextCursor: string | null }>(url()).then((r) => { setEvents(r.events); setNext(r.nextCursor); });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [customerId, types, version]);

  async function older() {
    if (!next) return;
    const r = await get<{ events: TimelineEvent[]; nextCursor: string | null }>(url(next));
    setEvents((xs) => [...xs, ...r.events]);
    setNext(r.nextCursor);
  }

  return (
    <section aria-label="Activity timeline" className="timeline">
      <label>Show
        <select value={types} onChange={(e) => setTypes(e.target.value)}>
          {FILTERS.map(([v, l]) => <option key={l} value={v}>{l}</option>)}
        </select>
      </label>
      <ol>
        {events.map((e) => (
          <li key={e.id}>
            <span className="muted small">{formatTime(e.occurredAt)} · {e.actor.kind === 'ai_agent' ? `AI ${e.actor.id ?? ''}` : e.actor.id ?? e.actor.kind}</span>
            <span>{describeEvent(e, (e.orderId && orders[e.orderId]) || undefined)}</span>
          </li>
        ))}
      </ol>
      {events.length === 0 && <p className="muted">Nothing yet.</p>}
      {next && <button type="button" onClick={() => void older()}>Older activity</button>}
    </section>
  );
}

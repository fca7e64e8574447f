import { useEffect, useState } from 'react';
import { formatMoney, formatTime, get } from './api';
import type { TimelineEvent } from './types';

const FILTERS = [
  ['', 'Everything'],
  ['order.*,payment.*,fulfillment.*,shipment.*', 'Orders, payments, shipments'],
  ['refund.*,return.*,exchange.*,product.*,access_codes.*,purchase_history.*', 'Actions'],
  ['message.*,note.*,conversation.*', 'Messages'],
  ['handoff.*', 'Handoffs'],
  ['sop.*', 'Procedures'],
] as const;

function describe(e: TimelineEvent): string {
  const d = e.data;
  const amount = typeof d.amount === 'number' && typeof d.currency === 'string' ? ` ${formatMoney(d.amount, d.currency)}` : '';
  const total = typeof d.total === 'number' && typeof d.currency === 'string' ? ` ${formatMoney(d.total, d.currency)}` : '';
  switch (e.type) {
    case 'order.created': return `Order #${String(d.number)} placed${total}`;
    case 'message.received': return `Customer wrote: ${String(d.excerpt ?? '')}`;
    case 'message.sent': return `Reply (${String(d.delivery ?? '')}): ${String(d.excerpt ?? '')}`;
    case 'note.added': return `Note: ${String(d.excerpt ?? '')}`;
    case 'conversation.status_changed': return `Conversation ${String(d.from)} → ${String(d.to)}`;
    case 'conversation.assigned': return d.assignee ? `Assigned to ${String(d.assignee)}` : 'Unassigned';
    case 'handoff.created': return `Handed over to a human: ${String(d.summary ?? '')}`;
    case 'handoff.taken': return `Handoff taken by ${String(d.takenBy ?? 'an agent')}`;
    case 'handoff.resolved': return 'Handoff resolved';
    default: return `${e.type}${amount}${typeof d.reason === 'string' ? ` (${d.reason})` : ''}`;
  }
}

export function Timeline({ customerId, version }: { customerId: string; version: number }) {
  const [types, setTypes] = useState('');
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);

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
            <span>{describe(e)}</span>
          </li>
        ))}
      </ol>
      {events.length === 0 && <p className="muted">Nothing yet.</p>}
      {next && <button type="button" onClick={() => void older()}>Older activity</button>}
    </section>
  );
}

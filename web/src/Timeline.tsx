import { useState } from 'react';
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { queries } from './api/queries';
import type { Order } from './api/types';
import { formatTime } from './shared';
import { describeEvent } from './timeline-text';

const FILTERS = [
  ['', 'Everything'],
  ['order.*,payment.*,fulfillment.*,shipment.*', 'Orders, payments, shipments'],
  ['refund.*,return.*,exchange.*,product.*,access_codes.*,purchase_history.*', 'Actions'],
  ['message.*,note.*,conversation.*', 'Messages'],
  ['handoff.*', 'Handoffs'],
  ['sop.*', 'Procedures'],
] as const;

export function Timeline({ customerId }: { customerId: string }) {
  const [types, setTypes] = useState('');
  const timeline = useInfiniteQuery(queries.timeline(customerId, types));
  const events = timeline.data?.pages.flatMap((p) => p.events) ?? [];

  // The orders the events are about: their names, item titles and packages make the sentences.
  const orderIds = [...new Set(events.map((e) => e.orderId).filter((id): id is string => !!id))];
  const orderQueries = useQueries({ queries: orderIds.map((id) => ({ ...queries.order(id), staleTime: Infinity })) });
  const orders = new Map<string, Order>(
    orderIds.flatMap((id, i) => {
      const o = orderQueries[i]?.data;
      return o ? [[id, o] as const] : [];
    }),
  );

  return (
    <section aria-label="Activity timeline" className="timeline">
      <label>
        Show
        <select value={types} onChange={(e) => setTypes(e.target.value)}>
          {FILTERS.map(([v, l]) => (
            <option key={l} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <ol>
        {events.map((e) => (
          <li key={e.id}>
            <span className="muted small">
              {formatTime(e.occurredAt)} ·{' '}
              {e.actor.kind === 'ai_agent' ? `AI ${e.actor.id ?? ''}` : (e.actor.id ?? e.actor.kind)}
            </span>
            <span>{describeEvent(e, e.orderId ? orders.get(e.orderId) : undefined)}</span>
          </li>
        ))}
      </ol>
      {timeline.isSuccess && events.length === 0 && <p className="muted">Nothing yet.</p>}
      {timeline.hasNextPage && (
        <button type="button" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>
          Older activity
        </button>
      )}
    </section>
  );
}

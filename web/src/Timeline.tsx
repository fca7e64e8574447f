import { useState } from 'react';
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { queries } from './api/queries';
import type { Order, TimelineEvent } from './api/types';
import { formatTime } from './shared';
import { describeEvent } from './timeline-text';
import { Disclosure } from './ui/Disclosure';

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
        {entriesOf(events).map((entry) =>
          entry.kind === 'event' ? (
            <li key={entry.event.id}>
              <EventLine event={entry.event} orders={orders} />
            </li>
          ) : (
            <li key={entry.events[0]!.id} className="timeline-run">
              <RunEntry events={entry.events} orders={orders} />
            </li>
          ),
        )}
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

type Entry = { kind: 'event'; event: TimelineEvent } | { kind: 'run'; runId: string; events: TimelineEvent[] };

const runIdOf = (e: TimelineEvent): string | null =>
  e.type.startsWith('sop.') && typeof e.data.runId === 'string' ? e.data.runId : null;

/**
 * The events in order, each procedure run as one entry where its newest event is (its latest news), holding every
 * event of that run even when other events landed between its steps. Those other events stay in the list, in their
 * own place: the timeline keeps everything that happened in time order, and nothing that is not the run's is tucked
 * inside a closed entry (a return refunded between two steps shows where it happened, under the run it let go on).
 */
export function entriesOf(events: TimelineEvent[]): Entry[] {
  const out: Entry[] = [];
  const runs = new Map<string, Extract<Entry, { kind: 'run' }>>();
  for (const event of events) {
    const runId = runIdOf(event);
    const run = runId ? runs.get(runId) : undefined;
    if (run) run.events.push(event);
    else if (runId) {
      const entry = { kind: 'run' as const, runId, events: [event] };
      runs.set(runId, entry);
      out.push(entry);
    } else out.push({ kind: 'event', event });
  }
  return out;
}

function EventLine({ event: e, orders }: { event: TimelineEvent; orders: Map<string, Order> }) {
  return (
    <>
      <span className="muted small">
        {formatTime(e.occurredAt)} ·{' '}
        {e.actor.kind === 'ai_agent' ? `AI ${e.actor.id ?? ''}` : (e.actor.id ?? e.actor.kind)}
      </span>{' '}
      <span>{describeEvent(e, e.orderId ? orders.get(e.orderId) : undefined)}</span>
    </>
  );
}

/**
 * One procedure run: its latest news (finished, or the last step done) and how many steps, opening to every step in
 * the order they were done, with the evidence recorded in manual steps.
 */
function RunEntry({ events, orders }: { events: TimelineEvent[]; orders: Map<string, Order> }) {
  const steps = events.filter((e) => e.type === 'sop.step_completed');
  const headline = events.find((e) => e.type === 'sop.run_finished') ?? events[0]!;
  // What was written down by hand (ticket reference, ESG number, board entry), shown without opening the entry.
  const recorded = steps
    .flatMap((e) => (Array.isArray(e.data.evidence) ? (e.data.evidence as { label: string; value: unknown }[]) : []))
    .filter((f) => typeof f.value !== 'boolean')
    .reverse();
  return (
    <Disclosure
      summary={
        <>
          <EventLine event={headline} orders={orders} />
          <span className="muted small">
            {' '}
            · {steps.length === 1 ? '1 step' : `${steps.length} steps`}
            {recorded.map((f) => ` · ${f.label}: ${String(f.value)}`).join('')}
          </span>
        </>
      }
    >
      <ol className="timeline-steps">
        {[...events].reverse().map((e) => (
          <li key={e.id}>
            <EventLine event={e} orders={orders} />
          </li>
        ))}
      </ol>
    </Disclosure>
  );
}

/**
 * The store's returns by state, oldest first: by default those waiting for a decision (requested), then those to be
 * picked up, on their way, and received but not yet refunded — each with its next steps.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { queries, refreshAfterWrite } from './api/queries';
import type { Me, ReturnView } from './api/types';
import { ReturnRow } from './actions/OrderReturns';

const VIEWS: { status: ReturnView['status']; label: string; empty: string }[] = [
  { status: 'requested', label: 'Waiting for a decision', empty: 'No return is waiting for a decision.' },
  { status: 'approved', label: 'Awaiting pickup', empty: 'No approved return is waiting for pickup.' },
  { status: 'picked_up', label: 'On the way back', empty: 'No return is on its way back.' },
  { status: 'received', label: 'Received, to refund', empty: 'No received return is waiting for its refund.' },
];

export function ReturnsQueue({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<ReturnView['status']>('requested');
  const list = useQuery(queries.returns(status));
  const view = VIEWS.find((v) => v.status === status)!;
  return (
    <section className="returns-queue" aria-labelledby="returns-title">
      <h1 id="returns-title">Returns</h1>
      <div className="filters" role="group" aria-label="Returns by state">
        {VIEWS.map((v) => (
          <button key={v.status} type="button" aria-pressed={v.status === status} onClick={() => setStatus(v.status)}>
            {v.label}
          </button>
        ))}
      </div>
      {list.isError && (
        <p role="alert" className="error">
          Could not load the returns.
        </p>
      )}
      {list.data &&
        (list.data.returns.length === 0 ? (
          <p className="muted">{view.empty}</p>
        ) : (
          <ul className="order-returns" aria-label={view.label}>
            {list.data.returns.map((r) => (
              <ReturnRow
                key={r.id}
                r={r}
                withOrder
                canAct={me.role !== 'viewer'}
                onDone={() => void refreshAfterWrite(queryClient)}
              />
            ))}
          </ul>
        ))}
    </section>
  );
}

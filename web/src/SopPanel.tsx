import { useEffect, useState } from 'react';
import { ApiError, get } from './api';

interface SopRun { id: string; sopId?: string; title?: string; status?: string; currentStep?: { id?: string; title?: string } | null }

/**
 * Procedures (the SOP engine). Reads /v1/sop-runs for this conversation when the server has the engine;
 * otherwise says it is not available. The full guided step UI arrives with the engine.
 */
export function SopPanel({ customerId, conversationId }: { customerId: string; conversationId: string }) {
  const [runs, setRuns] = useState<SopRun[] | null>(null);
  const [available, setAvailable] = useState<boolean | null>(null);

  useEffect(() => {
    get<{ runs?: SopRun[]; items?: SopRun[] } | SopRun[]>(`/v1/sop-runs?conversationId=${conversationId}&customerId=${customerId}`).then(
      (r) => { setAvailable(true); setRuns(Array.isArray(r) ? r : r.runs ?? r.items ?? []); },
      (e: unknown) => { setAvailable(!(e instanceof ApiError && e.status === 404)); setRuns([]); },
    );
  }, [customerId, conversationId]);

  if (available === null) return <p role="status">Loading…</p>;
  if (!available) return <p className="muted">Procedures are not available on this server yet.</p>;
  return (
    <section aria-label="Procedures">
      {runs && runs.length > 0 ? (
        <ul>{runs.map((r) => <li key={r.id}><strong>{r.title ?? r.sopId ?? r.id}</strong> — {r.status ?? 'running'}{r.currentStep?.title ? ` · now: ${r.currentStep.title}` : ''}</li>)}</ul>
      ) : <p className="muted">No procedure runs for this conversation.</p>}
    </section>
  );
}

/**
 * Procedures (the SOP engine, guided mode): start one for the conversation's customer, follow the run step by
 * step, and see where every run of this customer stands. Talks only to /v1/sops and /v1/sop-runs.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, formatTime, get, newKey } from './api';
import { RunView } from './sop/RunView';
import { RUN_STATUS_LABEL, type SopRunListItem, type SopRunView, type SopSummary } from './sop/types';

export function SopPanel({ customerId, conversationId, onChanged }: { customerId: string; conversationId: string; onChanged?: () => void }) {
  const [sops, setSops] = useState<SopSummary[] | null>(null);
  const [runs, setRuns] = useState<SopRunListItem[]>([]);
  const [chosen, setChosen] = useState('');
  const [openRun, setOpenRun] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [available, setAvailable] = useState(true);

  const loadRuns = useCallback(() => {
    void get<{ runs: SopRunListItem[] }>(`/v1/sop-runs?customerId=${customerId}&limit=20`).then((r) => setRuns(r.runs), () => setRuns([]));
  }, [customerId]);

  useEffect(() => {
    get<{ sops: SopSummary[] }>('/v1/sops').then((r) => setSops(r.sops), (e: unknown) => { setSops([]); if (e instanceof ApiError && e.status === 404) setAvailable(false); });
    loadRuns();
  }, [loadRuns]);

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    setError(null);
    try {
      const run = await api<SopRunView>('POST', '/v1/sop-runs', { sopId: chosen, customerId, conversationId }, { 'idempotency-key': newKey() });
      setOpenRun(run.id);
      loadRuns();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The server could not be reached.');
    }
  }

  if (!available) return <p className="muted">Procedures are not available on this server.</p>;
  if (sops === null) return <p role="status">Loading…</p>;
  const chosenSop = sops.find((s) => s.id === chosen);
  const active = runs.filter((r) => r.status === 'running' || r.status === 'waiting');

  return (
    <section aria-label="Procedures" className="sop-panel">
      {openRun ? (
        <RunView runId={openRun} onBack={() => { setOpenRun(null); loadRuns(); }} onChanged={() => { loadRuns(); onChanged?.(); }} />
      ) : (
        <>
          <form onSubmit={(e) => void start(e)} aria-label="Start a procedure" className="sop-start">
            <label htmlFor={`sop-choose-${conversationId}`}>Procedure</label>
            <select id={`sop-choose-${conversationId}`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">Choose a procedure…</option>
              {sops.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
            </select>
            {chosenSop && <p className="muted small">{chosenSop.appliesWhen} ({chosenSop.stepCount} steps)</p>}
            <button type="submit" className="primary" disabled={!chosen}>Start</button>
            {error && <p className="refusal" role="alert">{error}</p>}
          </form>
          <h4>Runs for this customer</h4>
          {runs.length === 0 ? <p className="muted">No procedure has been run for this customer.</p> : (
            <ul className="sop-runs" aria-label="Procedure runs">
              {runs.map((r) => {
                const title = sops.find((s) => s.id === r.sopId)?.title ?? r.sopId;
                return (
                  <li key={r.id}>
                    <button type="button" className="link" onClick={() => setOpenRun(r.id)} aria-label={`Open ${title} run, ${RUN_STATUS_LABEL[r.status]}`}>{title}</button>
                    {' '}<span className={`label run-${r.status}`}>{RUN_STATUS_LABEL[r.status]}</span>
                    <span className="muted small"> {r.status === 'running' || r.status === 'waiting' ? `at ${r.currentStepId ?? '—'} · ` : ''}{formatTime(r.updatedAt)}{r.conversationId === conversationId ? ' · this conversation' : ''}</span>
                  </li>
                );
              })}
            </ul>
          )}
          {active.length > 0 && <p className="muted small">{active.length} in progress.</p>}
        </>
      )}
    </section>
  );
}

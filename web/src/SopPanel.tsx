/**
 * Procedures (the SOP engine, guided mode): start one for the conversation's customer, follow the run step by
 * step, and see where every run of this customer stands. Talks only to /v1/sops and /v1/sop-runs.
 */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries } from './api/queries';
import { described, type ProseSopRun } from './api/types';
import { formatTime } from './shared';
import { RunView } from './sop/RunView';
import { RUN_STATUS_LABEL } from './sop/types';
import { tone } from './ui/status';

export function SopPanel({
  customerId,
  conversationId,
  onChanged,
}: {
  customerId: string;
  conversationId: string;
  onChanged?: () => void;
}) {
  const queryClient = useQueryClient();
  const sopList = useQuery(queries.sops());
  const runs = useQuery(queries.sopRuns(customerId)).data ?? [];
  const [chosen, setChosen] = useState('');
  const [openRun, setOpenRun] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRuns = () => void queryClient.invalidateQueries({ queryKey: queries.sopRuns(customerId).queryKey });

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!chosen) return;
    setError(null);
    try {
      const run = described<ProseSopRun>()(
        await ok(
          client.POST('/v1/sop-runs', {
            body: { sopId: chosen, customerId, conversationId },
            headers: { 'idempotency-key': newKey() },
          }),
        ),
      );
      queryClient.setQueryData(queries.sopRun(run.id).queryKey, run);
      setOpenRun(run.id);
      loadRuns();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The server could not be reached.');
    }
  }

  if (sopList.error instanceof ApiError && sopList.error.status === 404)
    return <p className="muted">Procedures are not available on this server.</p>;
  if (sopList.isPending) return <p role="status">Loading…</p>;
  const sops = sopList.data ?? [];
  const chosenSop = sops.find((s) => s.id === chosen);
  const active = runs.filter((r) => r.status === 'running' || r.status === 'waiting');

  return (
    <section aria-label="Procedures" className="sop-panel">
      {openRun ? (
        <RunView
          runId={openRun}
          onBack={() => {
            setOpenRun(null);
            loadRuns();
          }}
          onChanged={() => {
            loadRuns();
            onChanged?.();
          }}
        />
      ) : (
        <>
          <form onSubmit={(e) => void start(e)} aria-label="Start a procedure" className="sop-start">
            <label htmlFor={`sop-choose-${conversationId}`}>Procedure</label>
            <select id={`sop-choose-${conversationId}`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
              <option value="">Choose a procedure…</option>
              {sops.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
            {chosenSop && (
              <p className="muted small">
                {chosenSop.appliesWhen} ({chosenSop.stepCount} steps)
              </p>
            )}
            <button type="submit" className="primary" disabled={!chosen}>
              Start
            </button>
            {error && (
              <p className="refusal" role="alert">
                {error}
              </p>
            )}
          </form>
          <h4>Runs for this customer</h4>
          {runs.length === 0 ? (
            <p className="muted">No procedure has been run for this customer.</p>
          ) : (
            <ul className="sop-runs" aria-label="Procedure runs">
              {runs.map((r) => {
                const title = sops.find((s) => s.id === r.sopId)?.title ?? r.sopId;
                return (
                  <li key={r.id}>
                    <button
                      type="button"
                      className="link"
                      onClick={() => setOpenRun(r.id)}
                      aria-label={`Open ${title} run, ${RUN_STATUS_LABEL[r.status as keyof typeof RUN_STATUS_LABEL] ?? r.status}`}
                    >
                      {title}
                    </button>{' '}
                    <span className={`label run-${r.status}`} data-tone={tone('run', r.status)}>
                      {RUN_STATUS_LABEL[r.status as keyof typeof RUN_STATUS_LABEL] ?? r.status}
                    </span>
                    <span className="muted small">
                      {' '}
                      {r.status === 'running' || r.status === 'waiting' ? `at ${r.currentStepId ?? '—'} · ` : ''}
                      {formatTime(r.updatedAt)}
                      {r.conversationId === conversationId ? ' · this conversation' : ''}
                    </span>
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

import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries } from './api/queries';
import type { Me, SimulationRun, SimulationRunDetail } from './api/types';
import { formatTime } from './shared';
import { Disclosure } from './ui/Disclosure';

const pct = (x: number) => `${Math.round(x * 100)}%`;

function progressText(r: SimulationRun): string {
  return `${r.done} / ${r.total} trials · ${r.passed} passed · ${r.failed} failed`;
}

/**
 * Simulations (docs/simulations.md): an admin runs the suite — every SOP's, or one — k trials each, on trial stores;
 * the page follows its progress, and opens a trial's transcript with the agent's trace beside each turn.
 */
export function Simulations({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const suite = useQuery(queries.simulations());
  const runs = useQuery({
    ...queries.simulationRuns(),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === 'running') ? 2_000 : false),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [sopId, setSopId] = useState('');
  const [k, setK] = useState('3');
  const [model, setModel] = useState<'scripted' | 'configured'>('scripted');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sims = suite.data?.simulations ?? [];
  const sops = [...new Set(sims.map((s) => s.sopId))];
  const runId = selected ?? runs.data?.runs[0]?.id ?? null;

  async function start(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const run = await ok(
        client.POST('/v1/simulation-runs', {
          body: { k: Number(k), model, ...(sopId ? { sopId } : {}) },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      setSelected(run.id);
      await queryClient.invalidateQueries({ queryKey: queries.simulationRuns().queryKey });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not start the run.');
    } finally {
      setBusy(false);
    }
  }

  async function cancel(id: string) {
    setError(null);
    try {
      await ok(
        client.POST('/v1/simulation-runs/{id}/cancel', {
          params: { path: { id } },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: queries.simulationRuns().queryKey });
      await queryClient.invalidateQueries({ queryKey: queries.simulationRun(id).queryKey });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not cancel the run.');
    }
  }

  return (
    <div className="settings">
      <section className="card" aria-labelledby="simulations-title">
        <h2 id="simulations-title">Simulations</h2>
        <p className="muted">
          Simulated customers talk to the AI agent on trial stores (never this store); each simulation runs k times and
          passes only when every trial meets its success criteria (pass^k). {sims.length} simulations over {sops.length}{' '}
          SOPs.
        </p>
        {me.role === 'admin' && (
          <form onSubmit={(e) => void start(e)} aria-label="Run simulations" className="limits">
            <label>
              SOP{' '}
              <select value={sopId} onChange={(e) => setSopId(e.target.value)}>
                <option value="">All SOPs</option>
                {sops.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </label>{' '}
            <label>
              Trials each (k){' '}
              <input type="number" min={1} max={10} size={3} value={k} onChange={(e) => setK(e.target.value)} />
            </label>{' '}
            {(suite.data?.models.length ?? 0) > 1 && (
              <label>
                Agent model{' '}
                <select value={model} onChange={(e) => setModel(e.target.value as 'scripted' | 'configured')}>
                  <option value="scripted">scripted</option>
                  <option value="configured">configured</option>
                </select>
              </label>
            )}{' '}
            <button type="submit" className="primary" disabled={busy}>
              Run
            </button>
            {error && (
              <p className="error" role="alert">
                {error}
              </p>
            )}
          </form>
        )}
        {runs.data && runs.data.runs.length > 0 ? (
          <ul className="handoffs" aria-label="Simulation runs">
            {runs.data.runs.map((r) => (
              <li key={r.id} className="handoff">
                <button type="button" aria-pressed={r.id === runId} onClick={() => setSelected(r.id)}>
                  {r.sopId ?? 'All SOPs'}, k = {r.k} · {r.status} · {progressText(r)}
                </button>{' '}
                <span className="muted">
                  {formatTime(r.startedAt)} by {r.startedBy} · {r.model}
                  {r.canceledBy ? ` · canceled by ${r.canceledBy}` : ''}
                </span>
                {me.role === 'admin' && r.status === 'running' && (
                  <>
                    {' '}
                    <button type="button" onClick={() => void cancel(r.id)} aria-label={`Cancel run ${r.id}`}>
                      Cancel
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No simulation run yet.</p>
        )}
      </section>
      {runId && <RunResults runId={runId} />}
    </div>
  );
}

function RunResults({ runId }: { runId: string }) {
  const run = useQuery(queries.simulationRun(runId));
  const [trial, setTrial] = useState<string | null>(null);
  if (!run.data) return <p role="status">Loading…</p>;
  const { run: r, simulations, coverage, errors } = run.data;
  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title">
        Run {r.sopId ?? 'of all SOPs'} · {r.status}
      </h2>
      <p role="status">
        <progress max={r.total} value={r.done} /> {progressText(r)}
      </p>
      {r.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {errors.map((e) => (
        <p key={e} className="error">
          {e}
        </p>
      ))}
      <table aria-label="Simulations of the run">
        <thead>
          <tr>
            <th>SOP</th>
            <th>Simulation</th>
            <th>Passed</th>
            <th>pass^k</th>
            <th>Trials</th>
          </tr>
        </thead>
        <tbody>
          {simulations.map((s) => (
            <SimulationRow key={s.file} s={s} k={r.k} open={trial} onOpen={setTrial} />
          ))}
        </tbody>
      </table>
      {coverage.length > 0 && (
        <Disclosure summary="Coverage of the SOPs">
          <pre className="preview">{coverage.join('\n')}</pre>
        </Disclosure>
      )}
      {trial && <Transcript runId={runId} trialId={trial} />}
    </section>
  );
}

function SimulationRow({
  s,
  k,
  open,
  onOpen,
}: {
  s: SimulationRunDetail['simulations'][number];
  k: number;
  open: string | null;
  onOpen: (id: string) => void;
}) {
  const failed = s.trials.find((t) => !t.ok);
  return (
    <tr>
      <td>{s.sopId}</td>
      <td>
        {s.name}
        {failed && <div className="error">{failed.failures[0]}</div>}
      </td>
      <td className={s.passes === s.trials.length ? undefined : 'error'}>
        {s.passes}/{s.trials.length}
        {s.trials.length < k ? ` of ${k}` : ''}
      </td>
      <td>{s.passHat.map(pct).join(' · ')}</td>
      <td>
        {s.trials.map((t) => (
          <button
            key={t.id}
            type="button"
            aria-pressed={open === t.id}
            aria-label={`Transcript of ${s.name}, trial ${t.trial} (${t.ok ? 'passed' : 'failed'})`}
            onClick={() => onOpen(t.id)}
          >
            {t.ok ? '✓' : '✗'} {t.trial}
          </button>
        ))}
      </td>
    </tr>
  );
}

/** A trial's conversation, the agent's trace beside each turn. */
function Transcript({ runId, trialId }: { runId: string; trialId: string }) {
  const t = useQuery(queries.simulationTrial(runId, trialId));
  if (!t.data) return <p role="status">Loading the transcript…</p>;
  return (
    <article aria-label="Transcript" className="transcript">
      <h3>
        {t.data.name} — trial {t.data.trial}: {t.data.ok ? 'passed' : 'failed'}
      </h3>
      <p className="muted">{t.data.goal}</p>
      {t.data.failures.length > 0 && (
        <ul className="error">
          {t.data.failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      {t.data.conversation.map((turn, i) => (
        <div key={i} className="transcript-turn">
          <div>
            {turn.team?.map((x) => (
              <p key={x} className="from-team">
                <strong>Team:</strong> {x}
              </p>
            ))}
            {turn.customer !== null && (
              <p className="from-customer">
                <strong>Customer:</strong> {turn.customer}
              </p>
            )}
            {turn.agent.map((a, j) => (
              <p key={j} className="from-agent">
                <strong>Agent:</strong> {a}
              </p>
            ))}
          </div>
          <aside className="trace" aria-label={`Trace of turn ${i + 1}`}>
            {turn.trace && (
              <>
                <p className="muted">{turn.trace.summary}</p>
                <ul>
                  {turn.trace.lines.map((l, j) => (
                    <li key={j}>{l}</li>
                  ))}
                </ul>
              </>
            )}
          </aside>
        </div>
      ))}
    </article>
  );
}

/** One guided run: where it stands, what was said and why checks failed, and the current step's form. */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, ok } from '../api/client';
import { queries } from '../api/queries';
import { described, type ProseSopRun, type SopRunView } from '../api/types';
import { StepForm } from './StepForm';
import { forPeople } from '../actions/refusal';
import { formatTime } from '../shared';
import { humanize } from '../schema';
import { evidenceFrom, RUN_STATUS_LABEL } from './types';
import { tone } from '../ui/status';
import { Disclosure } from '../ui/Disclosure';

export function RunView({ runId, onBack, onChanged }: { runId: string; onBack: () => void; onChanged: () => void }) {
  const queryClient = useQueryClient();
  const query = useQuery(queries.sopRun(runId));
  const run = query.data ?? null;
  const [failed, setError] = useState<string | null>(null);
  const error =
    failed ??
    (query.error ? (query.error instanceof ApiError ? query.error.message : 'The server could not be reached.') : null);
  const setRun = (r: SopRunView) => queryClient.setQueryData(queries.sopRun(runId).queryKey, r);

  /** `undo`: also reverse what the run did (each completed tool step's declared compensation, newest first). */
  async function cancel(undo: boolean) {
    try {
      setRun(
        described<ProseSopRun>()(
          await ok(
            client.POST('/v1/sop-runs/{id}/cancel', {
              params: { path: { id: runId } },
              body: { reason: undo ? 'Canceled by the agent, and undone' : 'Canceled by the agent', undo },
            }),
          ),
        ),
      );
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The server could not be reached.');
    }
  }

  if (error)
    return (
      <p className="refusal" role="alert">
        {error}
      </p>
    );
  if (!run) return <p role="status">Loading…</p>;
  const live = run.status === 'running' || run.status === 'waiting';
  return (
    <article className="sop-run" aria-labelledby={`run-${run.id}`}>
      <header>
        <button type="button" className="link" onClick={onBack}>
          ← All procedures
        </button>
        <h3 id={`run-${run.id}`}>{run.title}</h3>
        <p>
          <span
            className={`label run-${run.status}`}
            data-tone={tone('run', run.status)}
            role="status"
            aria-label={`Run status: ${RUN_STATUS_LABEL[run.status]}`}
          >
            {RUN_STATUS_LABEL[run.status]}
          </span>
          <span className="muted small">
            {' '}
            · {run.completedSteps.length} steps done{run.current ? ` · now: ${run.current.title}` : ''}
          </span>
        </p>
      </header>
      {run.current && (
        <StepForm
          key={`${run.current.stepId}-${run.completedSteps.length}`}
          run={run}
          step={run.current}
          onSubmitted={(r) => {
            setRun(r);
            onChanged();
          }}
        />
      )}
      {(run.notices.length > 0 || run.refusals.length > 0) && (
        <section aria-label="Check results">
          <h4>Checks that did not pass</h4>
          <ul>
            {run.notices.map((n, i) => (
              <li key={`n${i}`}>{n.message}</li>
            ))}
            {run.refusals.map((r, i) => (
              <li key={`r${i}`}>
                {run.stepTitles[r.stepId] ?? 'A step'} was refused: {forPeople(r.message)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {run.messages.length > 0 && (
        <section aria-label="Say to the customer" className="sop-say">
          <h4>Say to the customer</h4>
          <p className="muted small">Words for your reply; the steps above are what you do.</p>
          <ol className="sop-messages">
            {run.messages.map((m, i) => (
              <li key={i}>
                <blockquote>{m.text}</blockquote>
                {m.disclosures.length > 0 && (
                  <ul className="disclosures">
                    {m.disclosures.map((d) => (
                      <li key={d} className="disclosure">
                        {d}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      {run.evidence.length > 0 && <RecordedEvidence run={run} />}
      {run.failure && (
        <p className="refusal" role="alert">
          Failed at “{run.stepTitles[run.failure.stepId] ?? run.failure.stepId}”: {forPeople(run.failure.message)}
        </p>
      )}
      {run.compensations.length > 0 && (
        <ul aria-label="Compensations">
          {run.compensations.map((c, i) => (
            <li key={i}>
              Undo of “{run.stepTitles[c.stepId] ?? c.stepId}”: {c.ok ? 'done' : `failed — ${c.error ?? ''}`}
            </li>
          ))}
        </ul>
      )}
      {run.handoff && <p role="status">Handed off: {run.handoff.summary}</p>}
      {run.cancelReason && <p className="muted">Canceled: {run.cancelReason}</p>}
      {run.completedSteps.length > 0 && (
        <Disclosure summary={`Steps done (${run.completedSteps.length})`}>
          <ol className="small">
            {run.completedSteps.map((s, i) => (
              <li key={`${s}-${i}`}>{run.stepTitles[s] ?? s}</li>
            ))}
          </ol>
        </Disclosure>
      )}
      {live && (
        <div className="form-actions">
          <button type="button" onClick={() => void cancel(false)} title="Stop here; what the run did stays done">
            Cancel this run
          </button>
          <button
            type="button"
            onClick={() => void cancel(true)}
            title="Stop here and reverse what the run did, newest first"
          >
            Cancel and undo
          </button>
        </div>
      )}
    </article>
  );
}

/** What was recorded of the work done by hand (a ticket reference, an ESG number, the board entry), step by step. */
function RecordedEvidence({ run }: { run: SopRunView }) {
  return (
    <section aria-label="Recorded evidence">
      <h4>Recorded</h4>
      {run.evidence.map((e) => (
        <div key={e.stepId} className="sop-evidence">
          <p className="small">
            <strong>{e.title}</strong>
            {e.system ? ` · in ${e.system}` : ''} · {e.by.id ?? e.by.kind}, {formatTime(e.at)}
          </p>
          <dl>
            {e.fields.map((f) => (
              <div key={f.name}>
                <dt>{f.label === f.name ? humanize(f.name) : f.label}</dt>
                <dd>
                  {typeof f.value === 'boolean' ? (f.value ? 'Yes' : 'No') : String(f.value)}
                  {evidenceFrom(f.from) && <span className="muted small"> · {evidenceFrom(f.from)}</span>}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </section>
  );
}

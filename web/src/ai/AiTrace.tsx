/**
 * "Why did the AI do this?": each AI turn on a conversation, newest first, with what the SOP run was on, every model
 * call (tokens, latency, what it answered), every tool call (preview, result or refusal), and the step it moved to.
 * Read-only: the trace is what the server kept (GET /v1/conversations/{id}/ai-turns), secrets already redacted.
 */
import { formatTime } from '../shared';
import type { AiTurn, TraceEntry } from '../api/types';
import { Disclosure } from '../ui/Disclosure';

const OUTCOME: Record<string, string> = {
  replied: 'Replied',
  waiting: 'Waiting for the customer',
  handed_off: 'Handed to a person',
  stopped: 'Stopped',
  completed: 'Procedure finished',
};

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
const tokens = (n: number) => `${n.toLocaleString('en-AU')} ${n === 1 ? 'token' : 'tokens'}`;
const step = (id: string | null) => id ?? 'no step';

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <div className="trace-json">
      <span className="muted small">{label}</span>
      <pre>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
    </div>
  );
}

function Entry({ e }: { e: TraceEntry }) {
  switch (e.type) {
    case 'step':
      return (
        <li className="trace-step">
          On step <code>{step(e.stepId)}</code>
          {e.kind ? ` (${e.kind})` : ''}: {e.note}
        </li>
      );
    case 'model_call':
      return (
        <li className={e.ok ? 'trace-model' : 'trace-model failed'}>
          <div>
            Model call <strong>{e.purpose.replaceAll('_', ' ')}</strong>
            {e.attempt > 1 ? ` (try ${e.attempt})` : ''} · {tokens(e.inputTokens)} in, {tokens(e.outputTokens)} out ·{' '}
            {duration(e.latencyMs)}
            {!e.ok && (
              <span className="badge d-failed" data-tone="danger">
                failed
              </span>
            )}
          </div>
          <div className="small">
            {e.ok ? 'Answered: ' : 'What went wrong: '}
            <code>{e.outcome}</code>
          </div>
          <div className="muted small">
            Tools offered: {e.tools.length ? e.tools.map((t) => <code key={t}>{t} </code>) : 'none'}
          </div>
          <Disclosure className="more-options" summary="What the model was shown">
            <pre>{e.shown}</pre>
          </Disclosure>
        </li>
      );
    case 'tool_call':
      return (
        <li className={e.refusal ? 'trace-tool refused' : 'trace-tool'}>
          <div>
            Tool <code>{e.tool}</code>
            {e.stepId ? (
              <>
                {' '}
                at step <code>{e.stepId}</code>
              </>
            ) : null}
            {e.confirmedBy ? <span className="muted small"> · the customer agreed in {e.confirmedBy}</span> : null}
          </div>
          {e.preview !== undefined && <Json label="Preview put to the customer" value={e.preview} />}
          {e.refusal ? (
            <p className="refusal">Refused: {e.refusal}</p>
          ) : e.result !== undefined ? (
            <Json label="Result" value={e.result} />
          ) : null}
        </li>
      );
    case 'reply':
      return <li className="trace-reply">Replied to the customer: “{e.text}”</li>;
    case 'handoff':
      return <li className="trace-handoff">Handed to a person: {e.summary}</li>;
    case 'stopped':
      return <li className="trace-stopped">Stopped: {e.why}</li>;
  }
}

/** One turn: a summary line, open on the newest turn, with its trace in order and the step it ended on. */
export function AiTurnTrace({ turn: t, open }: { turn: AiTurn; open: boolean }) {
  return (
    <li>
      <Disclosure
        defaultOpen={open}
        summary={
          <>
            <strong>{OUTCOME[t.outcome] ?? t.outcome}</strong>{' '}
            <span className="muted small">
              {formatTime(t.startedAt)} · {t.modelCalls} model {t.modelCalls === 1 ? 'call' : 'calls'} ·{' '}
              {tokens(t.tokens)} · {duration(t.durationMs)}
            </span>
          </>
        }
      >
        <p className="small">
          Started on step <code>{step(t.stepBefore)}</code>
          {t.messageIds.length ? ` after reading ${t.messageIds.join(', ')}` : ''}.
        </p>
        <ol className="trace" aria-label="What the AI did">
          {t.trace.map((e, i) => (
            // A trace is append-only and entries have no id of their own: the position is the identity.
            <Entry key={i} e={e} />
          ))}
        </ol>
        <p className="small">
          Next step: <code>{step(t.stepAfter)}</code>
        </p>
      </Disclosure>
    </li>
  );
}

export function AiTrace({ turns }: { turns: AiTurn[] }) {
  if (turns.length === 0) return <p className="muted small">The AI agent has not acted on this conversation.</p>;
  return (
    <ol className="ai-turns" aria-label="AI turns, newest first">
      {turns.map((t, i) => (
        <AiTurnTrace key={t.id} turn={t} open={i === 0} />
      ))}
    </ol>
  );
}

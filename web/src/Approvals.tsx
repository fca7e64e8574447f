import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries, refreshAfterWrite } from './api/queries';
import type { ActorLimits, Approval, Me } from './api/types';
import { formatMoney, formatTime, parseDecimal, toDecimal } from './shared';
import { Disclosure } from './ui/Disclosure';

const ACTOR_TEXT: Record<string, string> = { ai_agent: 'AI agent', agent: 'Agents', admin: 'Admins' };

/** What an approval request asks for, in words. */
export function approvalTitle(a: Approval): string {
  const what = a.tool.replace(/_/g, ' ');
  const money = a.amount !== null && a.currency ? ` of ${formatMoney(a.amount, a.currency)}` : '';
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}${money}`;
}

/** Actions above their actor's limits, waiting for a person: the preview, and Approve / Decline. Then the policy. */
export function Approvals({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const list = useQuery(queries.approvals('pending'));
  const policy = useQuery(queries.approvalPolicy());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const reasonText = policy.data?.reasons ?? {};
  const decides = me.role === 'admin' || me.role === 'agent';

  async function decide(a: Approval, verdict: 'approve' | 'decline') {
    setBusy(a.id);
    setMessage(null);
    try {
      if (verdict === 'approve')
        await ok(
          client.POST('/v1/approvals/{id}/approve', {
            params: { path: { id: a.id } },
            body: {},
            headers: { 'idempotency-key': newKey() },
          }),
        );
      else
        await ok(
          client.POST('/v1/approvals/{id}/decline', {
            params: { path: { id: a.id } },
            body: { reason: reasons[a.id] ?? '' },
          }),
        );
      setMessage({
        kind: 'ok',
        text:
          verdict === 'approve'
            ? `${approvalTitle(a)}: approved and done.`
            : `${approvalTitle(a)}: declined; the customer is told why.`,
      });
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.message : 'Could not decide the request.' });
    } finally {
      setBusy(null);
      void refreshAfterWrite(queryClient);
    }
  }

  const items = list.data?.approvals ?? (list.isError ? [] : null);
  return (
    <div className="settings">
      <section className="queue" aria-labelledby="approvals-title">
        <h2 id="approvals-title">Approvals</h2>
        <p className="muted">
          Actions above the limits of whoever asked for them wait here. Approve runs the action exactly as it was asked,
          as theirs; decline tells the customer the reason you give.
        </p>
        {message && (
          <p
            className={message.kind === 'error' ? 'error' : 'muted'}
            role={message.kind === 'error' ? 'alert' : 'status'}
          >
            {message.text}
          </p>
        )}
        {items === null ? (
          <p role="status">Loading…</p>
        ) : items.length === 0 ? (
          <p className="muted">Nothing waits for approval.</p>
        ) : (
          <ul className="handoffs" aria-label="Pending approvals">
            {items.map((a) => (
              <li key={a.id} className="handoff">
                <h3>
                  {approvalTitle(a)}
                  <span className="muted">
                    {' '}
                    · asked by {a.actor.id ?? a.actor.kind} ({a.role}) · {formatTime(a.createdAt)}
                  </span>
                </h3>
                <ul>
                  {a.reasons.map((r) => (
                    <li key={r}>{reasonText[r] ?? r}</li>
                  ))}
                </ul>
                <Disclosure summary="Preview">
                  <pre className="preview">{JSON.stringify(a.preview, null, 2)}</pre>
                </Disclosure>
                {decides && (
                  <div className="actions">
                    <button
                      type="button"
                      className="primary"
                      disabled={busy === a.id}
                      onClick={() => void decide(a, 'approve')}
                      aria-label={`Approve ${approvalTitle(a)}`}
                    >
                      Approve
                    </button>{' '}
                    <label>
                      Reason{' '}
                      <input
                        value={reasons[a.id] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [a.id]: e.target.value })}
                        placeholder="told to the customer"
                      />
                    </label>{' '}
                    <button
                      type="button"
                      disabled={busy === a.id || !(reasons[a.id] ?? '').trim()}
                      onClick={() => void decide(a, 'decline')}
                      aria-label={`Decline ${approvalTitle(a)}`}
                    >
                      Decline
                    </button>
                  </div>
                )}
                {a.customerId && (
                  <p className="muted">
                    Customer {a.customerId}
                    {a.orderId ? ` · order ${a.orderId}` : ''}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <Policy me={me} />
    </div>
  );
}

/** The limits of each kind of actor; an admin edits them. */
function Policy({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const policy = useQuery(queries.approvalPolicy());
  const [message, setMessage] = useState<string | null>(null);
  const actors = policy.data?.actors ?? [];
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Limits</h2>
      <p className="muted">
        What each kind of actor may do without a person’s approval. Refunds include a cancel’s refund and a return’s
        refund; the daily count is per customer and UTC day.
      </p>
      {message && <p role="status">{message}</p>}
      {actors.map((a) => (
        <LimitsForm
          key={`${a.actorKind}-${a.updatedAt}`}
          limits={a}
          editable={me.role === 'admin'}
          onSaved={async (text) => {
            setMessage(text);
            await queryClient.invalidateQueries({ queryKey: queries.approvalPolicy().queryKey });
          }}
        />
      ))}
    </section>
  );
}

function LimitsForm({
  limits,
  editable,
  onSaved,
}: {
  limits: ActorLimits;
  editable: boolean;
  onSaved: (message: string) => Promise<void>;
}) {
  const currency = limits.refundCurrency ?? 'USD';
  const [amount, setAmount] = useState(
    limits.refundMaxAmount === null ? '' : toDecimal(limits.refundMaxAmount, currency),
  );
  const [cur, setCur] = useState(currency);
  const [perDay, setPerDay] = useState(
    limits.refundsPerCustomerPerDay === null ? '' : String(limits.refundsPerCustomerPerDay),
  );
  const [tools, setTools] = useState(limits.approvalTools.join(', '));
  const [error, setError] = useState<string | null>(null);
  const label = ACTOR_TEXT[limits.actorKind] ?? limits.actorKind;

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const body = {
        refundMaxAmount: amount.trim() === '' ? null : parseDecimal(amount, cur),
        refundCurrency: amount.trim() === '' ? null : cur.trim().toUpperCase(),
        refundsPerCustomerPerDay: perDay.trim() === '' ? null : Number(perDay),
        approvalTools: tools
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      };
      await ok(
        client.PUT('/v1/approval-policy', {
          body: { [limits.actorKind]: body },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      await onSaved(`Saved the limits of ${label.toLowerCase()}.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : err instanceof RangeError ? err.message : 'Could not save.');
    }
  }

  return (
    <form onSubmit={(e) => void save(e)} aria-label={`Limits of ${label}`} className="limits">
      <h3>{label}</h3>
      <label>
        Largest refund per action{' '}
        <input value={amount} disabled={!editable} onChange={(e) => setAmount(e.target.value)} placeholder="no limit" />
      </label>{' '}
      <label>
        Currency <input value={cur} disabled={!editable} size={4} onChange={(e) => setCur(e.target.value)} />
      </label>{' '}
      <label>
        Refunds per customer per day{' '}
        <input
          value={perDay}
          disabled={!editable}
          size={4}
          onChange={(e) => setPerDay(e.target.value)}
          placeholder="any"
        />
      </label>{' '}
      <label>
        Tools that always need approval{' '}
        <input value={tools} disabled={!editable} onChange={(e) => setTools(e.target.value)} placeholder="none" />
      </label>
      {editable && <button type="submit">Save</button>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="muted">
        Set by {limits.updatedBy ?? 'default'} · {formatTime(limits.updatedAt)}
      </p>
    </form>
  );
}

/**
 * The customer panel's facts: order count and lifetime value, tags, payment methods (with gift-card and store-credit
 * balances), saved addresses, and the team's note — saved with PUT /v1/customers/{id}/notes under one idempotency
 * key per edit.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries } from './api/queries';
import type { ProseCustomer } from './api/types';
import { formatMoney } from './shared';

type CustomerDetails = ProseCustomer;

export function CustomerProfile({ customer, canEdit }: { customer: CustomerDetails; canEdit: boolean }) {
  const profile = useQuery(queries.customerProfile(customer.id)).data;
  const methods = customer.paymentMethods ?? [];
  const addresses = [...(customer.addresses ?? [])].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return (
    <div className="customer-profile">
      {profile && (
        <dl className="customer-facts">
          <div>
            <dt>Orders</dt>
            <dd>{profile.orderCount}</dd>
          </div>
          <div>
            <dt>Lifetime value</dt>
            <dd>
              {profile.lifetimeValue.length
                ? profile.lifetimeValue.map((v) => formatMoney(v.amount, v.currency as never)).join(' + ')
                : formatMoney(0, 'USD')}
            </dd>
          </div>
        </dl>
      )}
      {profile && profile.tags.length > 0 && (
        <ul className="labels" aria-label="Customer tags">
          {profile.tags.map((t) => (
            <li key={t} className="label tag">
              {t}
            </li>
          ))}
        </ul>
      )}
      {methods.length > 0 && (
        <section aria-label="Payment methods">
          <h3 className="small">Payment methods</h3>
          <ul className="plain">
            {methods.map((m) => (
              <li key={m.id}>
                {m.label}
                {m.balance != null && m.currency && (
                  <span className="muted">
                    {' '}
                    · {m.kind === 'store_credit' ? 'store credit' : 'balance'}{' '}
                    {formatMoney(m.balance, m.currency as never)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {addresses.length > 0 && (
        <section aria-label="Addresses">
          <h3 className="small">Addresses</h3>
          <ul className="plain">
            {addresses.map((a) => (
              <li key={a.id}>
                <address>
                  {[a.name, a.line1, a.line2, a.city, a.region, a.zip, a.country].filter(Boolean).join(', ')}
                </address>
                {a.isDefault && <span className="muted small"> (default)</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {profile && (
        <CustomerNotes
          key={`${profile.note}|${profile.tags.join(',')}`}
          customerId={customer.id}
          note={profile.note}
          tags={profile.tags}
          canEdit={canEdit}
        />
      )}
    </div>
  );
}

function CustomerNotes({
  customerId,
  note,
  tags,
  canEdit,
}: {
  customerId: string;
  note: string;
  tags: string[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(note);
  const [tagText, setTagText] = useState(tags.join(', '));
  // One key per edit: a retried Save stores the note once; an edit after it is a new write.
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const id = `notes-${customerId}`;
  const edit =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setSaved(false);
    };

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const profile = await ok(
        client.PUT('/v1/customers/{id}/notes', {
          params: { path: { id: customerId } },
          headers: { 'idempotency-key': key },
          body: {
            note: text,
            tags: tagText
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean),
          },
        }),
      );
      queryClient.setQueryData(queries.customerProfile(customerId).queryKey, profile);
      void queryClient.invalidateQueries({ queryKey: ['/v1/customers/{id}/timeline'] });
      setKey(newKey());
      setSaved(true);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? { message: err.message, ...(err.fields?.[0] ? { field: err.fields[0].path.split('.')[0] } : {}) }
          : { message: 'The server could not be reached.' },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="customer-notes" aria-label="Team notes" onSubmit={(e) => void save(e)}>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note for the team</label>
        <textarea
          id={`${id}-note`}
          value={text}
          readOnly={!canEdit}
          aria-invalid={error?.field === 'note' || undefined}
          onChange={(e) => edit(setText)(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input
          id={`${id}-tags`}
          value={tagText}
          readOnly={!canEdit}
          placeholder="vip, wholesale"
          aria-invalid={error?.field === 'tags' || undefined}
          onChange={(e) => edit(setTagText)(e.target.value)}
        />
      </div>
      {canEdit && (
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            Save note
          </button>
          {saved && (
            <span role="status" className="muted small">
              Saved
            </span>
          )}
        </div>
      )}
      {error && (
        <p className="refusal" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}

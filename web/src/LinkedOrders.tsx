/** The orders a conversation is about: linked by the customer's messages or by an agent, who can link or unlink one. */
import { useState, type FormEvent } from 'react';
import { ApiError, client, ok } from './api/client';
import type { Conversation } from './api/types';

export function LinkedOrders({
  conversation: c,
  writable,
  onChanged,
}: {
  conversation: Conversation;
  writable: boolean;
  onChanged: (c: Conversation | Omit<Conversation, 'messages' | 'handoffs'>) => void;
}) {
  const [ref, setRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  const editable = writable && c.status !== 'closed';

  async function change(body: { linkOrders: string[] } | { unlinkOrders: string[] }) {
    setError(null);
    try {
      onChanged(await ok(client.PATCH('/v1/conversations/{id}', { params: { path: { id: c.id } }, body })));
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work.');
      return false;
    }
  }

  async function link(e: FormEvent) {
    e.preventDefault();
    if (ref.trim() && (await change({ linkOrders: [ref.trim()] }))) setRef('');
  }

  return (
    <div className="linked-orders" role="group" aria-label="Linked orders">
      <span className="muted small">Orders:</span>
      {c.orders.length === 0 && <span className="muted small">none linked</span>}
      {c.orders.map((o) => (
        <span key={o.id} className="badge order-chip">
          {o.name}
          {editable && (
            <button
              type="button"
              className="link"
              aria-label={`Unlink order ${o.name}`}
              onClick={() => void change({ unlinkOrders: [o.id] })}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {editable && (
        <form onSubmit={(e) => void link(e)} className="inline-form" aria-label="Link an order">
          <label className="sr-only" htmlFor={`link-${c.id}`}>
            Order number or reference
          </label>
          <input
            id={`link-${c.id}`}
            value={ref}
            onChange={(e) => setRef(e.target.value)}
            placeholder="#1004 or ESG-…"
            size={12}
          />
          <button type="submit" disabled={!ref.trim()}>
            Link
          </button>
        </form>
      )}
      {error && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

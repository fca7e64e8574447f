/**
 * The inbox's one search box: customers (name, last name, email, phone) and orders (#1004, a channel reference such
 * as ESG-58231467), grouped, from GET /v1/search; the same words also filter the conversation list.
 */
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { queries } from './api/queries';
import { formatTime } from './shared';

export interface NewConversationFor {
  customer: { id: string; name: string; email: string | null };
  /** The order it is about, e.g. #1004. */
  orderName?: string;
}

export function DirectorySearch({
  onSearch,
  onNewConversation,
  onCustomerConversations,
  writable,
}: {
  /** The words also filter the conversation list ('' clears). */
  onSearch: (q: string) => void;
  onNewConversation: (to: NewConversationFor) => void;
  onCustomerConversations: (customer: { id: string; name: string }) => void;
  writable: boolean;
}) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const found = useQuery(queries.directory(q));

  function submit(e: FormEvent) {
    e.preventDefault();
    const words = text.trim();
    setQ(words);
    onSearch(words);
  }

  const customers = found.data?.customers ?? [];
  const orders = found.data?.orders ?? [];
  return (
    <div className="directory">
      <form role="search" onSubmit={submit} className="search">
        <label className="sr-only" htmlFor="q">
          Find a customer, an order or a conversation
        </label>
        <input
          id="q"
          type="search"
          placeholder="Name, email, phone, order # or ESG-…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value) {
              setQ('');
              onSearch('');
            }
          }}
        />
        <button type="submit">Search</button>
      </form>
      {found.error && (
        <p className="error" role="alert">
          {found.error instanceof ApiError ? found.error.message : 'The search did not work.'}
        </p>
      )}
      {q.length >= 2 && found.isSuccess && (
        <section className="directory-results" aria-label="Customers and orders found">
          <h3>Customers</h3>
          {customers.length === 0 ? (
            <p className="muted small">No customer matches.</p>
          ) : (
            <ul aria-label="Customers">
              {customers.map((c) => (
                <li key={c.id}>
                  <span>
                    <strong>{c.name}</strong> <span className="muted small">{c.email ?? c.phone ?? ''}</span>{' '}
                    <span className="muted small">
                      · {c.orderCount} order{c.orderCount === 1 ? '' : 's'}
                    </span>
                  </span>
                  <span className="row-actions">
                    <button type="button" onClick={() => onCustomerConversations(c)}>
                      Conversations
                    </button>
                    {writable && (
                      <button type="button" onClick={() => onNewConversation({ customer: c })}>
                        New conversation
                      </button>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <h3>Orders</h3>
          {orders.length === 0 ? (
            <p className="muted small">No order matches.</p>
          ) : (
            <ul aria-label="Orders">
              {orders.map((o) => {
                const name = o.channelName ?? `#${o.number}`;
                return (
                  <li key={o.id}>
                    <span>
                      <strong>{name}</strong>{' '}
                      <span className="muted small">
                        {o.channel}
                        {o.externalRef ? ` ${o.externalRef}` : ''} · {formatTime(o.placedAt)} ·{' '}
                        {o.customer?.name ?? 'no customer'}
                      </span>
                    </span>
                    {o.customer && (
                      <span className="row-actions">
                        <button type="button" onClick={() => onCustomerConversations(o.customer!)}>
                          Conversations
                        </button>
                        {writable && (
                          <button
                            type="button"
                            onClick={() =>
                              onNewConversation({
                                customer: { ...o.customer!, email: null },
                                orderName: `#${o.number}`,
                              })
                            }
                          >
                            New conversation
                          </button>
                        )}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

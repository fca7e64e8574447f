import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { queries, type ConversationFilters } from './api/queries';
import type { Me } from './api/types';
import { CHANNELS, CONVERSATION_STATUSES, CONVERSATION_STATUS_LABEL, formatTime } from './shared';
import { ConversationView } from './ConversationView';
import { AiOffBanner } from './ai/AiOffBanner';

export function Inbox({
  me,
  conversationId,
  onOpen,
}: {
  me: Me;
  conversationId: string | undefined;
  onOpen: (id: string) => void;
}) {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<ConversationFilters>({ status: '', channel: '', assignee: '', q: '' });
  const [search, setSearch] = useState('');
  // Kept current by the live events (api/live.ts): a new message or a change refetches the pages shown.
  const list = useInfiniteQuery(queries.conversations(filters));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const error = list.error
    ? list.error instanceof ApiError
      ? list.error.message
      : 'Could not load conversations.'
    : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters((f) => ({ ...f, q: search.trim() }));
  }

  return (
    <div className="inbox">
      <section className="list" aria-labelledby="list-title">
        <h2 id="list-title">Conversations</h2>
        <AiOffBanner />
        <form role="search" onSubmit={submit} className="search">
          <label className="sr-only" htmlFor="q">
            Search by customer email or order number
          </label>
          <input
            id="q"
            type="search"
            placeholder="Customer email or order #"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="submit">Search</button>
        </form>
        <div className="filters">
          <label>
            Status
            <select value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value }))}>
              <option value="">Any status</option>
              {CONVERSATION_STATUSES.map((v) => (
                <option key={v} value={v}>
                  {CONVERSATION_STATUS_LABEL[v]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Channel
            <select value={filters.channel} onChange={(e) => setFilters((f) => ({ ...f, channel: e.target.value }))}>
              <option value="">Any channel</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            Assignee
            <select value={filters.assignee} onChange={(e) => setFilters((f) => ({ ...f, assignee: e.target.value }))}>
              <option value="">Anyone</option>
              <option value="me">Me ({me.name})</option>
              <option value="unassigned">Unassigned</option>
              <option value="ai_agent">AI agent</option>
            </select>
          </label>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <ul className="conversations" aria-label="Conversation list">
          {items.map((c) => (
            <li key={c.id}>
              <a
                href={`#/c/${c.id}`}
                className={c.id === conversationId ? 'current' : undefined}
                aria-current={c.id === conversationId ? 'true' : undefined}
              >
                <span className="row1">
                  <strong>{c.customer.name}</strong>
                  <span className={`status s-${c.status}`}>{c.statusLabel}</span>
                </span>
                <span className="subject">{c.subject}</span>
                <span className="row3">
                  <span className="muted">{c.customer.email}</span>
                  <span className="muted">
                    {c.channel} · {formatTime(c.lastActivityAt)}
                  </span>
                </span>
              </a>
            </li>
          ))}
        </ul>
        {list.isSuccess && items.length === 0 && <p className="muted">No conversations match.</p>}
        {list.hasNextPage && (
          <button type="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Load more
          </button>
        )}
      </section>
      {conversationId ? (
        <ConversationView
          key={conversationId}
          id={conversationId}
          me={me}
          onChanged={() => void queryClient.invalidateQueries({ queryKey: ['/v1/conversations'] })}
          onOpen={onOpen}
        />
      ) : (
        <section className="empty">
          <p>Select a conversation.</p>
        </section>
      )}
    </div>
  );
}

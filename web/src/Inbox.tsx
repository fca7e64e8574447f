import { useState } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { queries, type ConversationFilters } from './api/queries';
import type { Me } from './api/types';
import { CHANNELS, CONVERSATION_STATUSES, CONVERSATION_STATUS_LABEL, formatTime } from './shared';
import { ConversationView } from './ConversationView';
import { AiOffBanner } from './ai/AiOffBanner';
import { DirectorySearch, type NewConversationFor } from './DirectorySearch';
import { NewConversation } from './NewConversation';
import { tone } from './ui/status';
import { useShortcuts } from './ui/shortcuts';

const count = (n: number | undefined) => (n === undefined ? '' : ` (${n})`);

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
  // The inbox opens on work still to do, not on everything ever closed.
  const [filters, setFilters] = useState<ConversationFilters>({
    status: 'open_work',
    channel: '',
    assignee: '',
    q: '',
  });
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);
  const [compose, setCompose] = useState<NewConversationFor | null>(null);
  // Kept current by the live events (api/live.ts): a new message or a change refetches the pages and counts shown.
  const list = useInfiniteQuery(queries.conversations(filters));
  const counts = useQuery(queries.conversationCounts()).data;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const error = list.error
    ? list.error instanceof ApiError
      ? list.error.message
      : 'Could not load conversations.'
    : null;
  const writable = me.role !== 'viewer';
  const colleagues = (counts?.assignees ?? []).filter((a) => a.kind === 'human' && a.name !== me.name);

  function startConversation(to: NewConversationFor) {
    setCompose(to);
  }

  // j / k: the next or previous conversation of the list as shown (the first one when none is open).
  function step(by: 1 | -1) {
    const at = items.findIndex((c) => c.id === conversationId);
    const to = items[at < 0 ? 0 : at + by];
    if (!to) return;
    setCompose(null);
    onOpen(to.id);
    document.querySelector(`.conversations a[href="#/c/${to.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }
  useShortcuts({ j: () => step(1), k: () => step(-1) });

  return (
    <div className="inbox">
      <section className="list" aria-labelledby="list-title">
        <h2 id="list-title">Conversations</h2>
        <AiOffBanner />
        <DirectorySearch
          writable={writable}
          onSearch={(q) => {
            setCustomer(null);
            setFilters((f) => ({ ...f, q, customerId: '' }));
          }}
          onNewConversation={startConversation}
          onCustomerConversations={(c) => {
            setCustomer(c);
            setFilters((f) => ({ ...f, q: '', customerId: c.id, status: '' }));
          }}
        />
        {customer && (
          <p className="muted small">
            Conversations of <strong>{customer.name}</strong>{' '}
            <button
              type="button"
              onClick={() => {
                setCustomer(null);
                setFilters((f) => ({ ...f, customerId: '', status: 'open_work' }));
              }}
            >
              Show everyone’s
            </button>
          </p>
        )}
        <div className="filters">
          <label>
            Status
            <select value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value }))}>
              <option value="open_work">Open work{count(counts?.openWork)}</option>
              {CONVERSATION_STATUSES.map((v) => (
                <option key={v} value={v}>
                  {CONVERSATION_STATUS_LABEL[v]}
                  {count(counts?.statuses[v])}
                </option>
              ))}
              <option value="">Any status</option>
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
              <option value="me">
                Me ({me.name})
                {count(counts?.assignees.find((a) => a.kind === 'human' && a.name === me.name)?.count ?? 0)}
              </option>
              <option value="unassigned">Unassigned{count(counts?.unassigned)}</option>
              <option value="ai_agent">
                AI agent{count(counts?.assignees.filter((a) => a.kind === 'ai_agent').reduce((n, a) => n + a.count, 0))}
              </option>
              {colleagues.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                  {count(a.count)}
                </option>
              ))}
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
                onClick={() => setCompose(null)}
              >
                <span className="row1">
                  <strong>{c.customer.name}</strong>
                  <span className={`status s-${c.status}`} data-tone={tone('conversation', c.status)}>
                    {c.statusLabel}
                  </span>
                </span>
                <span className="subject">{c.subject}</span>
                <span className="row3">
                  <span className="muted">{c.customer.email}</span>
                  <span className="muted">
                    {c.channel} · {formatTime(c.lastActivityAt)}
                  </span>
                </span>
                {(c.priority !== 'normal' || c.tags.length > 0) && (
                  <span className="row-tags">
                    {c.priority !== 'normal' && (
                      <span
                        className={`badge p-${c.priority}`}
                        data-tone={tone('priority', c.priority)}
                        title="Priority"
                      >
                        {c.priority}
                      </span>
                    )}
                    {c.tags.map((t) => (
                      <span key={t} className="badge tag">
                        {t}
                      </span>
                    ))}
                  </span>
                )}
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
      {compose ? (
        <NewConversation
          key={compose.customer.id + (compose.orderName ?? '')}
          to={compose}
          onCancel={() => setCompose(null)}
          onOpen={(id) => {
            setCompose(null);
            onOpen(id);
          }}
        />
      ) : conversationId ? (
        <ConversationView
          key={conversationId}
          id={conversationId}
          me={me}
          onChanged={() => void queryClient.invalidateQueries({ queryKey: ['/v1/conversations'] })}
          onOpen={onOpen}
          onNewConversation={startConversation}
        />
      ) : (
        <section className="empty">
          <p>Select a conversation, or find a customer to write to.</p>
        </section>
      )}
    </div>
  );
}

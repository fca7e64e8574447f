import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, formatTime, get } from './api';
import type { Conversation, Me } from './types';
import { ConversationView } from './ConversationView';

const STATUSES = [['', 'Any status'], ['open', 'Open'], ['pending', 'Pending'], ['waiting_for_human', 'Waiting for human'], ['resolved', 'Resolved'], ['closed', 'Closed']] as const;
const CHANNELS = ['', 'email', 'chat', 'phone', 'web', 'kogan', 'marketplace'] as const;

interface Filters { status: string; channel: string; assignee: string; q: string }

export function Inbox({ me, conversationId, onOpen }: { me: Me; conversationId: string | undefined; onOpen: (id: string) => void }) {
  const [filters, setFilters] = useState<Filters>({ status: '', channel: '', assignee: '', q: '' });
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<Conversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const query = useCallback((f: Filters, after?: string) => {
    const p = new URLSearchParams({ limit: '30' });
    if (f.status === 'waiting_for_human') p.set('waiting_for_human', 'true');
    else if (f.status) p.set('status', f.status);
    if (f.channel) p.set('channel', f.channel);
    if (f.assignee) p.set('assignee', f.assignee);
    if (f.q) p.set('q', f.q);
    if (after) p.set('cursor', after);
    return get<{ items: Conversation[]; nextCursor: string | null }>(`/v1/conversations?${p}`);
  }, []);

  useEffect(() => {
    let live = true;
    query(filters).then((r) => {
      if (!live) return;
      setItems(r.items);
      setCursor(r.nextCursor);
      setError(null);
    }, (e: unknown) => live && setError(e instanceof ApiError ? e.message : 'Could not load conversations.'));
    return () => { live = false; };
  }, [filters, query, version]);

  // Live enough: refresh the first page every 15 s unless the agent has paged further.
  const paged = items.length > 30;
  useEffect(() => {
    if (paged) return;
    const t = setInterval(() => setVersion((v) => v + 1), 15_000);
    return () => clearInterval(t);
  }, [paged]);

  async function more() {
    if (!cursor) return;
    const r = await query(filters, cursor);
    setItems((xs) => [...xs, ...r.items]);
    setCursor(r.nextCursor);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters((f) => ({ ...f, q: search.trim() }));
  }

  return (
    <div className="inbox">
      <section className="list" aria-labelledby="list-title">
        <h2 id="list-title">Conversations</h2>
        <form role="search" onSubmit={submit} className="search">
          <label className="sr-only" htmlFor="q">Search by customer email or order number</label>
          <input id="q" type="search" placeholder="Customer email or order #" value={search} onChange={(e) => setSearch(e.target.value)} />
          <button type="submit">Search</button>
        </form>
        <div className="filters">
          <label>Status
            <select value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value }))}>
              {STATUSES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
            </select>
          </label>
          <label>Channel
            <select value={filters.channel} onChange={(e) => setFilters((f) => ({ ...f, channel: e.target.value }))}>
              {CHANNELS.map((c) => <option key={c} value={c}>{c || 'Any channel'}</option>)}
            </select>
          </label>
          <label>Assignee
            <select value={filters.assignee} onChange={(e) => setFilters((f) => ({ ...f, assignee: e.target.value }))}>
              <option value="">Anyone</option>
              <option value="me">Me ({me.name})</option>
              <option value="unassigned">Unassigned</option>
              <option value="ai_agent">AI agent</option>
            </select>
          </label>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        <ul className="conversations" aria-label="Conversation list">
          {items.map((c) => (
            <li key={c.id}>
              <a href={`#/c/${c.id}`} className={c.id === conversationId ? 'current' : undefined} aria-current={c.id === conversationId ? 'true' : undefined}>
                <span className="row1"><strong>{c.customer.name}</strong><span className={`status s-${c.status}`}>{c.statusLabel}</span></span>
                <span className="subject">{c.subject}</span>
                <span className="row3"><span className="muted">{c.customer.email}</span><span className="muted">{c.channel} · {formatTime(c.lastActivityAt)}</span></span>
              </a>
            </li>
          ))}
        </ul>
        {items.length === 0 && !error && <p className="muted">No conversations match.</p>}
        {cursor && <button type="button" onClick={() => void more()}>Load more</button>}
      </section>
      {conversationId
        ? <ConversationView key={conversationId} id={conversationId} me={me} onChanged={() => setVersion((v) => v + 1)} onOpen={onOpen} />
        : <section className="empty"><p>Select a conversation.</p></section>}
    </div>
  );
}

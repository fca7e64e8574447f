import { useCallback, useState, type FormEvent } from 'react';
import { usePrefetchQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, ok } from './api/client';
import { queries, refreshAfterWrite, showConversation } from './api/queries';
import type { Me } from './api/types';
import { CONVERSATION_STATUS_LABEL, formatTime, type ConversationStatus } from './shared';
import { CustomerSidebar } from './CustomerSidebar';
import { HandoffCard } from './HandoffCard';
import { AiPanel } from './ai/AiPanel';
import { Attachments } from './Attachments';
import type { NewConversationFor } from './DirectorySearch';
import { LinkedOrders } from './LinkedOrders';
import { MacroOrderPrompt, type MacroNeed } from './MacroOrderPrompt';
import { tone } from './ui/status';
import { useShortcuts } from './ui/shortcuts';
import { MacroPicker } from './MacroPicker';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { CheckCircle2, ChevronDown, Send, StickyNote, UserCheck } from 'lucide-react';

const LABEL: Record<string, string> = CONVERSATION_STATUS_LABEL;

export function ConversationView({
  id,
  me,
  onChanged,
  onNewConversation,
}: {
  id: string;
  me: Me;
  onChanged: () => void;
  /** Opens another conversation (#/c/<id>). */
  onOpen: (id: string) => void;
  onNewConversation: (to: NewConversationFor) => void;
}) {
  const queryClient = useQueryClient();
  // New messages and changes arrive by the live events (api/live.ts). A message's delivery (queued → sent, failed) is
  // no timeline event, so it still shows by a slow refetch.
  const conversation = useQuery({ ...queries.conversation(id), refetchInterval: 30_000 });
  const macros = useQuery(queries.macros()).data?.macros ?? [];
  // The sidebar's order actions need the tool list: asked for with the conversation, not after it.
  usePrefetchQuery(queries.tools());
  const [status, setStatus] = useState<string | null>(null);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  // A macro that needs something the conversation does not know yet (which order), asked before it is inserted.
  const [macroNeed, setMacroNeed] = useState<MacroNeed | null>(null);
  // The same function from render to render, so typing a reply does not draw the sidebar again (it is memoised).
  const sidebarChanged = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: queries.conversation(id).queryKey }),
    [queryClient, id],
  );

  async function act(what: string, fn: () => Promise<unknown>) {
    setBusy(true);
    try {
      await fn();
      setStatus(what);
      // The conversation is read again before the form is free; the rest refreshes behind it.
      await queryClient.invalidateQueries({ queryKey: queries.conversation(id).queryKey });
      void refreshAfterWrite(queryClient);
      onChanged();
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  }

  /** Inserts the macro's text only when every placeholder has a value; otherwise asks (which order) first. */
  async function insertMacro(macroId: string, orderId?: string) {
    if (!macroId) return;
    try {
      const r = await ok(
        client.POST('/v1/macros/{id}/render', {
          params: { path: { id: macroId } },
          body: { conversationId: id, ...(orderId ? { orderId } : {}) },
        }),
      );
      if (r.missing.length) {
        setMacroNeed({ macroId, missing: r.missing, name: macros.find((m) => m.id === macroId)?.name ?? 'This macro' });
        return;
      }
      setMacroNeed(null);
      setText((t) => (t ? `${t}\n${r.body}` : r.body));
      setMode('reply');
    } catch (e) {
      setStatus(e instanceof ApiError ? e.message : 'The macro could not be filled in.');
    }
  }

  function send(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    const body = text;
    void act(mode === 'reply' ? 'Reply sent.' : 'Note added.', async () => {
      if (mode === 'reply')
        await ok(client.POST('/v1/conversations/{id}/replies', { params: { path: { id } }, body: { body } }));
      else await ok(client.POST('/v1/conversations/{id}/notes', { params: { path: { id } }, body: { body } }));
      setText('');
    });
  }

  function moveTo(to: ConversationStatus) {
    void act(`Moved to ${LABEL[to]}.`, async () =>
      // Shown in the list and the counts at once, before they are read again.
      showConversation(
        queryClient,
        await ok(client.POST('/v1/conversations/{id}/status', { params: { path: { id } }, body: { status: to } })),
      ),
    );
  }

  function assignToMe() {
    void act('Assigned to you.', () =>
      ok(client.POST('/v1/conversations/{id}/assign', { params: { path: { id } }, body: { assignee: 'me' } })),
    );
  }

  /** r / n: the composer in reply or note mode, focused. */
  function compose(to: 'reply' | 'note') {
    setMode(to);
    requestAnimationFrame(() => document.getElementById('composer-text')?.focus());
  }

  const c = conversation.data;
  const closed = c?.status === 'closed';
  const canWrite = me.role !== 'viewer' && !!c;
  useShortcuts(
    {
      r: () => !closed && compose('reply'),
      n: () => !closed && compose('note'),
      a: () => !busy && c?.assignee?.name !== me.name && assignToMe(),
      e: () => !busy && c?.nextStatuses.includes('resolved') && moveTo('resolved'),
    },
    canWrite,
  );
  if (conversation.isError && !c) {
    const error =
      conversation.error instanceof ApiError ? conversation.error.message : 'Could not load the conversation.';
    return (
      <section className="conversation">
        <p className="error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (!c)
    return (
      <section className="conversation">
        <p role="status">Loading…</p>
      </section>
    );
  const writable = me.role !== 'viewer';
  const openHandoff = c.handoffs.find((h) => h.status !== 'resolved');

  return (
    <>
      <section className="conversation" aria-labelledby="conv-title">
        <header className="conv-head">
          <div>
            <h2 id="conv-title">{c.subject}</h2>
            <p className="muted">
              {c.customer.name} · {c.customer.email} · {c.channel}
              {c.externalRef ? ` · ticket ${c.externalRef}` : ''}
            </p>
            <LinkedOrders
              conversation={c}
              writable={writable}
              onChanged={(next) => {
                showConversation(queryClient, next);
                void refreshAfterWrite(queryClient);
              }}
            />
          </div>
          <div className="conv-controls">
            <span
              className={`status s-${c.status}`}
              data-tone={tone('conversation', c.status)}
              role="status"
              aria-label={`Status: ${c.statusLabel}`}
            >
              {c.statusLabel}
            </span>
            {writable && c.nextStatuses.length > 0 && (
              // A menu of moves (each item does one), not a picker of a value: Radix DropdownMenu.
              <DropdownMenu.Root>
                <DropdownMenu.Trigger asChild disabled={busy}>
                  <button type="button">
                    Move to
                    <ChevronDown size={14} aria-hidden />
                  </button>
                </DropdownMenu.Trigger>
                <DropdownMenu.Portal>
                  <DropdownMenu.Content className="popover" align="end" sideOffset={4} collisionPadding={8}>
                    {c.nextStatuses.map((s) => (
                      <DropdownMenu.Item key={s} className="menu-item" onSelect={() => moveTo(s)}>
                        {LABEL[s] ?? s}
                      </DropdownMenu.Item>
                    ))}
                  </DropdownMenu.Content>
                </DropdownMenu.Portal>
              </DropdownMenu.Root>
            )}
            {writable && c.nextStatuses.includes('resolved') && (
              <button type="button" disabled={busy} onClick={() => moveTo('resolved')} aria-keyshortcuts="e">
                <CheckCircle2 size={15} aria-hidden />
                Resolve
              </button>
            )}
            <span className="muted">
              Assignee: {c.assignee ? `${c.assignee.name}${c.assignee.kind === 'ai_agent' ? ' (AI)' : ''}` : 'nobody'}
            </span>
            {writable && c.assignee?.name !== me.name && (
              <button type="button" disabled={busy} onClick={assignToMe} aria-keyshortcuts="a">
                <UserCheck size={15} aria-hidden />
                Assign to me
              </button>
            )}
          </div>
        </header>
        {openHandoff && (
          <HandoffCard
            handoff={openHandoff}
            me={me}
            busy={busy}
            onAct={act}
            orderName={c.orders.find((o) => o.id === openHandoff.state.orderId)?.name}
          />
        )}
        {conversation.isError && (
          <p className="muted small" role="status">
            Could not refresh just now; showing what was loaded and trying again.
          </p>
        )}
        <AiPanel conversationId={id} me={me} />
        <ol className="thread" aria-label="Messages">
          {c.messages.map((m) => (
            <li key={m.id} className={`msg ${m.kind}`}>
              <div className="meta">
                <strong>
                  {m.kind === 'note'
                    ? 'Internal note'
                    : m.kind === 'inbound'
                      ? (m.authorName ?? 'Customer')
                      : (m.authorName ?? m.authorKind)}
                </strong>
                {m.authorKind === 'ai_agent' && <span className="badge">AI agent</span>}
                <span className="muted">{formatTime(m.createdAt)}</span>
                {m.kind === 'outbound' && m.delivery && (
                  <span
                    className={`badge d-${m.delivery}`}
                    data-tone={tone('delivery', m.delivery)}
                    title={m.deliveryError ?? undefined}
                  >
                    {m.delivery === 'kept' ? 'in thread (not emailed)' : m.delivery}
                  </span>
                )}
              </div>
              <p className="body">{m.body}</p>
              <Attachments conversationId={c.id} message={m} />
            </li>
          ))}
        </ol>
        {writable && closed && (
          <div className="closed-note" role="note">
            <p>This conversation is closed: nothing more can be sent here.</p>
            <button
              type="button"
              className="primary"
              onClick={() =>
                onNewConversation({ customer: c.customer, ...(c.orders[0] ? { orderName: c.orders[0].name } : {}) })
              }
            >
              Start a new conversation
            </button>
          </div>
        )}
        {writable && !closed && macroNeed && (
          <MacroOrderPrompt
            need={macroNeed}
            customerId={c.customerId}
            onChoose={(orderId) => void insertMacro(macroNeed.macroId, orderId)}
            onCancel={() => setMacroNeed(null)}
          />
        )}
        {writable && !closed && (
          <form className="composer" onSubmit={send} aria-label="Write to the conversation">
            <div className="tabs" role="radiogroup" aria-label="Message type">
              <label>
                <input type="radio" name="mode" checked={mode === 'reply'} onChange={() => setMode('reply')} /> Reply to
                customer
              </label>
              <label>
                <input type="radio" name="mode" checked={mode === 'note'} onChange={() => setMode('note')} /> Internal
                note
              </label>
              <div className="macro">
                <MacroPicker
                  macros={macros}
                  onChoose={(macroId) => void insertMacro(macroId)}
                  focusAfterChoosing="composer-text"
                />
              </div>
            </div>
            <label className="sr-only" htmlFor="composer-text">
              {mode === 'reply' ? 'Reply' : 'Internal note'}
            </label>
            <textarea
              id="composer-text"
              rows={4}
              value={text}
              onChange={(e) => setText(e.target.value)}
              className={mode === 'note' ? 'note' : undefined}
              placeholder={mode === 'reply' ? 'Write a reply to the customer…' : 'Write a note only agents see…'}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
              }}
            />
            <div className="composer-actions">
              <span className="muted">
                <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to send · <kbd>?</kbd> for shortcuts
              </span>
              <button type="submit" className="primary" disabled={busy || !text.trim()}>
                {mode === 'reply' ? <Send size={15} aria-hidden /> : <StickyNote size={15} aria-hidden />}
                {mode === 'reply' ? 'Send reply' : 'Add note'}
              </button>
            </div>
          </form>
        )}
        <p className="sr-only" role="status" aria-live="polite">
          {status}
        </p>
        {status && (
          <p className="toast" aria-hidden="true">
            {status}
          </p>
        )}
      </section>
      <CustomerSidebar customerId={c.customerId} conversation={c} me={me} onChanged={sidebarChanged} />
    </>
  );
}

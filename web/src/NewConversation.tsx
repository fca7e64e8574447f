/** An agent writes to a customer first: a new email conversation whose first message leaves like any reply. */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { refreshAfterWrite } from './api/queries';
import type { NewConversationFor } from './DirectorySearch';

export function NewConversation({
  to,
  onOpen,
  onCancel,
}: {
  to: NewConversationFor;
  onOpen: (id: string) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState(to.orderName ? `About your order ${to.orderName}` : '');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry opens one conversation.
  const [key] = useState(newKey);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const c = await ok(
        client.POST('/v1/conversations', {
          body: {
            customerId: to.customer.id,
            channel: 'email',
            subject: subject.trim(),
            message,
            priority: 'normal',
            tags: [],
            orderIds: to.orderName ? [to.orderName] : [],
          },
          headers: { 'idempotency-key': key },
        }),
      );
      void refreshAfterWrite(queryClient);
      onOpen(c.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The server could not be reached.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="conversation" aria-labelledby="new-conv-title">
      <h2 id="new-conv-title">New conversation with {to.customer.name}</h2>
      <p className="muted">
        By email{to.customer.email ? ` to ${to.customer.email}` : ''}
        {to.orderName ? `, about ${to.orderName}` : ''}.
      </p>
      <form onSubmit={(e) => void send(e)} aria-label="New conversation" className="composer">
        <label className="field">
          Subject
          <input value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={300} />
        </label>
        <label className="field">
          Message
          <textarea rows={6} value={message} onChange={(e) => setMessage(e.target.value)} required />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="composer-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !subject.trim() || !message.trim()}>
            Send
          </button>
        </div>
      </form>
    </section>
  );
}

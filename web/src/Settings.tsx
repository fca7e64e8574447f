import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, ok } from './api/client';
import { queries } from './api/queries';
import type { Macro, Me, Template } from './api/types';
import { Tokens, Users } from './Team';
import { Webhooks } from './Webhooks';

/** Macros (any agent), the confirmation templates (admins edit them), and for admins users, API tokens and webhooks. */
export function Settings({ me }: { me: Me }) {
  return (
    <div className="settings">
      <Macros me={me} />
      <Templates me={me} />
      {me.role === 'admin' && (
        <>
          <Users />
          <Tokens />
          <Webhooks />
        </>
      )}
    </div>
  );
}

function Macros({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const list = useQuery(queries.macros());
  const macros = list.data?.macros ?? [];
  const placeholders = list.data?.placeholders ?? {};
  const load = () => queryClient.invalidateQueries({ queryKey: queries.macros().queryKey });
  const [editing, setEditing] = useState<Macro | null>(null);
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  function edit(m: Macro | null) {
    setEditing(m);
    setName(m?.name ?? '');
    setBody(m?.body ?? '');
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      if (editing)
        await ok(client.PUT('/v1/macros/{id}', { params: { path: { id: editing.id } }, body: { name, body } }));
      else await ok(client.POST('/v1/macros', { body: { name, body } }));
      setMessage(`Saved “${name}”.`);
      edit(null);
      await load();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'Could not save.');
    }
  }

  async function remove(m: Macro) {
    await ok(client.DELETE('/v1/macros/{id}', { params: { path: { id: m.id } } }));
    setMessage(`Deleted “${m.name}”.`);
    await load();
  }

  const writable = me.role !== 'viewer';
  return (
    <section aria-labelledby="macros-title" className="card">
      <h2 id="macros-title">Macros</h2>
      <ul className="macro-list">
        {macros.map((m) => (
          <li key={m.id}>
            <strong>{m.name}</strong>
            <p className="muted small">{m.body}</p>
            {writable && (
              <span className="row-actions">
                <button type="button" onClick={() => edit(m)} aria-label={`Edit macro ${m.name}`}>
                  Edit
                </button>
                <button type="button" onClick={() => void remove(m)} aria-label={`Delete macro ${m.name}`}>
                  Delete
                </button>
              </span>
            )}
          </li>
        ))}
        {macros.length === 0 && <li className="muted">No macros yet.</li>}
      </ul>
      {writable && (
        <form
          onSubmit={(e) => void save(e)}
          className="macro-form"
          aria-label={editing ? `Edit macro ${editing.name}` : 'New macro'}
        >
          <h3>{editing ? `Edit “${editing.name}”` : 'New macro'}</h3>
          <label className="field">
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
          </label>
          <label className="field">
            Text
            <textarea rows={4} value={body} onChange={(e) => setBody(e.target.value)} required />
          </label>
          <p className="muted small">
            Placeholders:{' '}
            {Object.keys(placeholders)
              .filter((p) => /^(customer|order|agent|conversation)\./.test(p))
              .map((p) => `{{${p}}}`)
              .join(' ')}
          </p>
          <div className="form-actions">
            <button type="submit" className="primary">
              Save macro
            </button>
            {editing && (
              <button type="button" onClick={() => edit(null)}>
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
      <p role="status" className="muted small">
        {message}
      </p>
    </section>
  );
}

function Templates({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  // What the admin typed and has not saved yet, over the server's templates.
  const [drafts, setDrafts] = useState<Record<string, Partial<Template>>>({});
  const templates = (useQuery(queries.templates()).data?.templates ?? []).map((t) => ({ ...t, ...drafts[t.key] }));
  const [message, setMessage] = useState<string | null>(null);
  const load = async (key: string) => {
    await queryClient.invalidateQueries({ queryKey: queries.templates().queryKey });
    setDrafts(({ [key]: _saved, ...rest }) => rest);
  };
  const admin = me.role === 'admin';

  async function save(t: Template) {
    try {
      await ok(
        client.PUT('/v1/templates/{key}', {
          params: { path: { key: t.key } },
          body: { subject: t.subject, body: t.body },
        }),
      );
      setMessage(`Saved the ${t.key} template.`);
      await load(t.key);
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : 'Could not save.');
    }
  }

  async function reset(t: Template) {
    await ok(client.DELETE('/v1/templates/{key}', { params: { path: { key: t.key } } }));
    setMessage(`The ${t.key} template is back to the built-in wording.`);
    await load(t.key);
  }

  const set = (key: string, patch: Partial<Template>) => setDrafts((d) => ({ ...d, [key]: { ...d[key], ...patch } }));
  return (
    <section aria-labelledby="templates-title" className="card">
      <h2 id="templates-title">Confirmation messages</h2>
      <p className="muted small">
        Sent to the customer after each action. {admin ? '' : 'Only an admin can edit them.'}
      </p>
      {templates.map((t) => (
        <form
          key={t.key}
          className="template"
          aria-label={`Template ${t.key}`}
          onSubmit={(e) => {
            e.preventDefault();
            void save(t);
          }}
        >
          <h3>
            {t.key} {t.customized && <span className="badge">edited</span>}
          </h3>
          <label className="field">
            Subject
            <input value={t.subject} readOnly={!admin} onChange={(e) => set(t.key, { subject: e.target.value })} />
          </label>
          <label className="field">
            Message
            <textarea
              rows={5}
              value={t.body}
              readOnly={!admin}
              onChange={(e) => set(t.key, { body: e.target.value })}
            />
          </label>
          {admin && (
            <div className="form-actions">
              <button type="submit" className="primary">
                Save
              </button>
              {t.customized && (
                <button type="button" onClick={() => void reset(t)}>
                  Reset to default
                </button>
              )}
            </div>
          )}
        </form>
      ))}
      <p role="status" className="muted small">
        {message}
      </p>
    </section>
  );
}

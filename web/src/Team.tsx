/** Admins manage who works in the desk: users (add, role, disable) and API tokens (create, shown once, revoke). */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries } from './api/queries';
import { formatTime } from './shared';

const ROLES = ['admin', 'agent', 'viewer', 'ai_agent'] as const;
type Role = (typeof ROLES)[number];
const ROLE_LABEL: Record<Role, string> = { admin: 'Admin', agent: 'Agent', viewer: 'Viewer', ai_agent: 'AI agent' };
const says = (e: unknown) => (e instanceof ApiError ? e.message : 'The server could not be reached.');

export function Users() {
  const queryClient = useQueryClient();
  const users = useQuery(queries.users()).data ?? [];
  const [form, setForm] = useState({ email: '', name: '', password: '', role: 'agent' as Role });
  const [message, setMessage] = useState<string | null>(null);
  const load = () => queryClient.invalidateQueries({ queryKey: queries.users().queryKey });

  async function add(e: FormEvent) {
    e.preventDefault();
    try {
      const u = await ok(
        client.POST('/v1/users', {
          body: {
            email: form.email,
            password: form.password,
            role: form.role,
            ...(form.name ? { name: form.name } : {}),
          },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      setMessage(`Added ${u.name} (${ROLE_LABEL[u.role]}). Give them the password to sign in.`);
      setForm({ email: '', name: '', password: '', role: 'agent' });
      await load();
    } catch (err) {
      setMessage(says(err));
    }
  }

  async function change(id: string, body: { role: Role } | { disabled: boolean }, done: string) {
    try {
      await ok(
        client.PATCH('/v1/users/{id}', { params: { path: { id } }, body, headers: { 'idempotency-key': newKey() } }),
      );
      setMessage(done);
      await load();
    } catch (err) {
      setMessage(says(err));
    }
  }

  return (
    <section aria-labelledby="users-title" className="card">
      <h2 id="users-title">Users</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <label className="sr-only" htmlFor={`role-${u.id}`}>
                  Role of {u.name}
                </label>
                <select
                  id={`role-${u.id}`}
                  value={u.role}
                  onChange={(e) =>
                    void change(
                      u.id,
                      { role: e.target.value as Role },
                      `${u.name} is now ${ROLE_LABEL[e.target.value as Role]}.`,
                    )
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABEL[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {u.disabledAt ? `Disabled ${formatTime(u.disabledAt)} ` : 'Active '}
                <button
                  type="button"
                  onClick={() =>
                    void change(
                      u.id,
                      { disabled: !u.disabledAt },
                      u.disabledAt ? `${u.name} can sign in again.` : `${u.name} can no longer sign in.`,
                    )
                  }
                >
                  {u.disabledAt ? 'Enable' : 'Disable'}
                </button>
              </td>
            </tr>
          ))}
          {users.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No users yet: people sign in with an API token until you add them.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form onSubmit={(e) => void add(e)} aria-label="Add a user" className="macro-form">
        <h3>Add a user</h3>
        <label className="field">
          Email
          <input
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        </label>
        <label className="field">
          Name
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label className="field">
          First password (at least 10 characters)
          <input
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </label>
        <RoleField value={form.role} onChange={(role) => setForm({ ...form, role })} />
        <div className="form-actions">
          <button type="submit" className="primary">
            Add user
          </button>
        </div>
      </form>
      <p role="status" className="muted small">
        {message}
      </p>
    </section>
  );
}

export function Tokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery(queries.tokens()).data ?? [];
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = () => queryClient.invalidateQueries({ queryKey: queries.tokens().queryKey });

  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      const t = await ok(
        client.POST('/v1/tokens', {
          body: { role, ...(name.trim() ? { name: name.trim() } : {}) },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      if (t.token) setSecret({ name: name.trim() || role, token: t.token });
      setName('');
      setMessage(null);
      await load();
    } catch (err) {
      setMessage(says(err));
    }
  }

  async function revoke(id: string, label: string) {
    try {
      await ok(client.DELETE('/v1/tokens/{id}', { params: { path: { id } } }));
      setMessage(`Revoked “${label}”: it no longer works, and its sessions ended.`);
      await load();
    } catch (err) {
      setMessage(says(err));
    }
  }

  return (
    <section aria-labelledby="tokens-title" className="card">
      <h2 id="tokens-title">API tokens</h2>
      {secret && (
        <div className="token-secret" role="alert">
          <p>The token “{secret.name}”. Copy it now: it is shown only once.</p>
          <code>{secret.token}</code>{' '}
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Created</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                {ROLE_LABEL[t.role]}
                {t.customerId ? ` (for ${t.customerId})` : ''}
              </td>
              <td>{formatTime(t.createdAt)}</td>
              <td>
                {t.revokedAt ? (
                  `Revoked ${formatTime(t.revokedAt)}`
                ) : (
                  <button type="button" onClick={() => void revoke(t.id, t.name)} aria-label={`Revoke token ${t.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={(e) => void create(e)} aria-label="Create a token" className="macro-form">
        <h3>Create a token</h3>
        <label className="field">
          Who or what uses it
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="Alex (support)" />
        </label>
        <RoleField value={role} onChange={setRole} />
        <div className="form-actions">
          <button type="submit" className="primary">
            Create token
          </button>
        </div>
      </form>
      <p role="status" className="muted small">
        {message}
      </p>
    </section>
  );
}

/** The role a new user or token gets. */
function RoleField({ value, onChange }: { value: Role; onChange: (role: Role) => void }) {
  return (
    <label className="field">
      Role
      <select value={value} onChange={(e) => onChange(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}
          </option>
        ))}
      </select>
    </label>
  );
}

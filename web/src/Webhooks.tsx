/**
 * Admins subscribe other systems to sopdesk's events (docs/webhooks.md): URL, event types, the signing secret (shown
 * once), enable and disable, and each subscription's delivery log.
 */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client, newKey, ok } from './api/client';
import { queries } from './api/queries';
import type { paths } from './api/schema';
import { formatTime } from './shared';

type EventType = NonNullable<
  paths['/v1/webhooks']['post']['requestBody']
>['content']['application/json']['eventTypes'][number];

const says = (e: unknown) => (e instanceof ApiError ? e.message : 'The server could not be reached.');

export function Webhooks() {
  const queryClient = useQueryClient();
  const webhooks = useQuery(queries.webhooks()).data ?? [];
  const catalogue = useQuery(queries.webhookEventTypes()).data;
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<EventType[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [logOf, setLogOf] = useState<string | null>(null);
  const load = () => queryClient.invalidateQueries({ queryKey: queries.webhooks().queryKey });

  async function add(e: FormEvent) {
    e.preventDefault();
    try {
      const made = await ok(
        client.POST('/v1/webhooks', {
          body: {
            url,
            eventTypes: types,
            ...(description ? { description } : {}),
          },
          headers: { 'idempotency-key': newKey() },
        }),
      );
      setSecret({ id: made.id, secret: made.secret });
      setMessage(`Subscribed ${made.url}.`);
      setUrl('');
      setDescription('');
      setTypes([]);
      await load();
    } catch (err) {
      setMessage(says(err));
    }
  }

  async function act(done: string, call: () => Promise<unknown>) {
    try {
      await call();
      setMessage(done);
      await load();
    } catch (err) {
      setMessage(says(err));
    }
  }

  const toggle = (t: EventType) => setTypes((was) => (was.includes(t) ? was.filter((x) => x !== t) : [...was, t]));

  return (
    <section aria-labelledby="webhooks-title" className="card">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted small">
        Events posted to other systems, signed per Standard Webhooks. A subscription is disabled after{' '}
        {catalogue?.disableAfter ?? 20} failed attempts in a row; enable it again here.
      </p>
      <table className="table">
        <thead>
          <tr>
            <th>URL</th>
            <th>Events</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {webhooks.map((w) => (
            <tr key={w.id}>
              <td>
                {w.url}
                {w.description && <div className="muted small">{w.description}</div>}
              </td>
              <td className="small">{w.eventTypes.join(', ')}</td>
              <td>
                {w.enabled
                  ? `Enabled${w.consecutiveFailures ? ` · ${w.consecutiveFailures} failed in a row` : ''}`
                  : `Disabled ${w.disabledAt ? formatTime(w.disabledAt) : ''}: ${w.disabledReason ?? ''}`}
              </td>
              <td className="row-actions">
                {w.enabled ? (
                  <button
                    type="button"
                    aria-label={`Disable ${w.url}`}
                    onClick={() =>
                      void act(`Disabled ${w.url}.`, () =>
                        ok(
                          client.PATCH('/v1/webhooks/{id}', {
                            params: { path: { id: w.id } },
                            body: { enabled: false },
                          }),
                        ),
                      )
                    }
                  >
                    Disable
                  </button>
                ) : (
                  <button
                    type="button"
                    aria-label={`Enable ${w.url}`}
                    onClick={() =>
                      void act(`Enabled ${w.url}; its given-up deliveries are queued again.`, () =>
                        ok(
                          client.POST('/v1/webhooks/{id}/enable', {
                            params: { path: { id: w.id } },
                            headers: { 'idempotency-key': newKey() },
                          }),
                        ),
                      )
                    }
                  >
                    Enable
                  </button>
                )}
                <button
                  type="button"
                  aria-label={`Deliveries of ${w.url}`}
                  onClick={() => setLogOf(logOf === w.id ? null : w.id)}
                >
                  Deliveries
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${w.url}`}
                  onClick={() =>
                    void act(`Deleted ${w.url}.`, () =>
                      ok(client.DELETE('/v1/webhooks/{id}', { params: { path: { id: w.id } } })),
                    )
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {webhooks.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No subscriptions.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {logOf && <DeliveryLog id={logOf} />}
      {secret && (
        <p role="status">
          Signing secret of the new subscription (shown once; the receiver verifies with it):{' '}
          <code>{secret.secret}</code>
        </p>
      )}
      <form onSubmit={(e) => void add(e)} aria-label="Add a webhook" className="macro-form">
        <h3>Add a webhook</h3>
        <label className="field">
          URL
          <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="field">
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <fieldset>
          <legend>Events</legend>
          {catalogue?.eventTypes.map((t) => (
            <label key={t.type} className="small">
              <input
                type="checkbox"
                checked={types.includes(t.type as EventType)}
                onChange={() => toggle(t.type as EventType)}
              />{' '}
              {t.type}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={!url || types.length === 0}>
          Subscribe
        </button>
      </form>
      {message && <p role="status">{message}</p>}
    </section>
  );
}

function DeliveryLog({ id }: { id: string }) {
  const log = useQuery(queries.webhookDeliveries(id)).data;
  return (
    <table className="table" aria-label="Delivery log">
      <thead>
        <tr>
          <th>When</th>
          <th>Event</th>
          <th>Attempt</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {log?.attempts.map((a) => (
          <tr key={a.seq}>
            <td>{formatTime(a.at)}</td>
            <td>
              {a.eventType} <span className="muted small">{a.eventId}</span>
            </td>
            <td>{a.attempt}</td>
            <td>
              {a.outcome}
              {a.statusCode !== null && ` · HTTP ${a.statusCode}`}
              {a.error && a.statusCode === null && ` · ${a.error}`} · {a.durationMs} ms
              {a.nextAttemptAt && ` · next ${formatTime(a.nextAttemptAt)}`}
            </td>
          </tr>
        ))}
        {log && log.attempts.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">
              Nothing delivered yet.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

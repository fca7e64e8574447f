/**
 * `GET /v1/events`: the live event stream as server-sent events (src/app/live/live-events.ts). Each event's SSE id is
 * its seq, so a browser's EventSource resumes after a lost connection with `Last-Event-ID` and gets what it missed.
 */
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { streamFilter, subscribeEvents, type LiveEvent } from '../../app/live/live-events.js';
import { EventStreamQuery, LiveEventOut } from '../../app/live/live-events.schemas.js';
import { invalid } from '../../kernel/errors.js';
import { defineRoute } from '../define-route.js';

/** A comment line this often keeps proxies from closing a quiet stream; the session is checked again then too. */
const HEARTBEAT_MS = 15_000;
/** How long a browser waits before it reconnects (the SSE `retry` field). */
const RETRY_MS = 2_000;

export const EVENT_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/events',
    operationId: 'streamEvents',
    summary: 'The live event stream: new messages, conversation changes, handoffs, approvals',
    description:
      "Every accepted write's timeline events, pushed when its transaction commits, from any process. Send `Last-Event-ID` (a browser's EventSource does on reconnect) or `after` to get first every event that committed after that one, whatever its seq (perhaps with a few the client already had: drop a seq seen before). A token bound to a customer gets only that customer's events. The stream ends when the token is revoked or the session ends (checked at each heartbeat). See docs/inbox.md, Live updates.",
    tag: 'inbox',
    query: EventStreamQuery,
    ok: {
      status: 200,
      description:
        "Server-sent events, one per timeline event as its write commits (each message's data is this schema, its id the seq), a `reset` event when more was missed than can be replayed, and a comment line as heartbeat",
      schema: LiveEventOut,
      mediaType: 'text/event-stream',
    },
    run: async ({ ctx, server, c, query: q }) => {
      const heartbeatMs = server.eventHeartbeatMs ?? HEARTBEAT_MS;
      const lastEventId = c.req.header('last-event-id');
      if (lastEventId !== undefined && !/^\d{1,15}$/.test(lastEventId))
        throw invalid('Last-Event-ID', 'the id of an event this stream sent (a seq)');
      const after = lastEventId ?? q.after;
      const filter = await streamFilter(ctx, c.get('principal'), q);
      const stillSignedIn = c.get('stillSignedIn');
      c.header('X-Accel-Buffering', 'no'); // a proxy must pass each event on at once
      return streamSSE(c, async (stream) => {
        // Writes go out one after another, in the order the events came; `ready` first, once subscribed (the missed
        // events a reconnect is owed come right after it).
        let subscribed: () => void = () => {};
        let writing: Promise<void> = new Promise<void>((resolve) => (subscribed = resolve)).then(() =>
          stream.writeSSE({ event: 'ready', data: '{}', retry: RETRY_MS }),
        );
        const send = (write: (s: SSEStreamingApi) => Promise<void>) => {
          writing = writing.then(() => write(stream)).catch(() => stop());
        };
        let stop: () => void = () => {};
        const ended = new Promise<void>((resolve) => (stop = resolve));
        stream.onAbort(stop);
        const subscription = await subscribeEvents(ctx, {
          filter,
          afterSeq: after === undefined ? undefined : Number(after),
          onEvent: (e: LiveEvent) => send((s) => s.writeSSE({ id: String(e.seq), data: JSON.stringify(e) })),
          onReset: () => send((s) => s.writeSSE({ event: 'reset', data: '{}' })),
          onEnd: stop,
        });
        subscribed();
        const heartbeat = setInterval(
          () =>
            send(async (s) => {
              if (!(await stillSignedIn())) return stop();
              await s.write(': heartbeat\n\n');
            }),
          heartbeatMs,
        );
        try {
          await ended;
        } finally {
          clearInterval(heartbeat);
          subscription.close();
          await writing;
        }
      });
    },
  }),
];

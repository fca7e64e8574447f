/**
 * The chat widget (docs/chat-widget.md): `GET /widget.js`, the script a storefront embeds, and its public API under
 * /widget/v1, apart from the token API. A request must come from an allowed storefront origin
 * (SOPDESK_WIDGET_ORIGINS; CORS is answered for those only), is counted against per-IP and per-visitor token buckets,
 * and is bounded like every other body. A visitor is known by the secret token the widget keeps (`Authorization:
 * Bearer vt_…`): it reaches that visitor's conversation and nothing else.
 *
 * The routes are public definitions (`WIDGET_ROUTES`); the origin check, CORS and the rate limits are the API's own
 * middleware (`widgetGuard`), which src/http/app.ts mounts on /widget/v1 before them.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { followVisitorMessages } from '../../app/chat/follow-visitor-messages.js';
import type { AppContext } from '../../app/context.js';
import { listVisitorMessages } from '../../app/chat/list-visitor-messages.js';
import {
  VisitorMessageInput,
  VisitorMessageSentOut,
  VisitorMessagesOut,
  VisitorMessagesQuery,
} from '../../app/chat/schemas.js';
import { sendVisitorMessage } from '../../app/chat/send-visitor-message.js';
import { visitorTokenHash } from '../../app/chat/identity.js';
import { DomainError } from '../../kernel/errors.js';
import { WIDGET_RATE_LIMITS, type WidgetRateLimits } from '../../kernel/limits.js';
import { requireMediaType } from '../body.js';
import { defineRoute } from '../define-route.js';
import { TokenBuckets } from '../rate-limit.js';

export interface WidgetOptions {
  /** SOPDESK_WIDGET_SECRET: the HMAC key of identity verification; absent = visitors are only anonymous. */
  secret?: string | undefined;
  /** SOPDESK_WIDGET_ORIGINS: the storefront origins (`https://shop.example`) that may use the widget's API. */
  origins?: readonly string[] | undefined;
  /** The rate limits; each one left out is its default (src/kernel/limits.ts). */
  rateLimits?: Partial<WidgetRateLimits> | undefined;
  /** SOPDESK_TRUST_PROXY: count per the client address the proxy in front names (the last X-Forwarded-For hop). */
  trustProxy?: boolean | undefined;
  /** The built widget script (dist/widget/widget.js). */
  script?: string | undefined;
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';

/** The address the request came from: the socket's peer, or the proxy's last X-Forwarded-For hop when trusted. */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = c.req.header('x-forwarded-for')?.split(',');
    const last = hops?.at(-1)?.trim();
    if (last) return last;
  }
  const env = c.env as { incoming?: IncomingMessage } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

const bearer = (c: Context): string | undefined => /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** Only allowed storefront origins; answers their CORS preflight, and marks their answers readable by them. */
function allowOrigins(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin || !allowed.has(origin.toLowerCase()))
      throw new DomainError(
        'forbidden',
        origin
          ? `The chat widget may not be used from ${origin.slice(0, 200)}: add it to SOPDESK_WIDGET_ORIGINS.`
          : 'The chat widget API answers storefront pages only (an Origin header from SOPDESK_WIDGET_ORIGINS).',
        { reason: 'origin_not_allowed' },
      );
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, POST');
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  };
}

/**
 * The widget API's own middleware, for /widget/v1: allowed origins and their CORS, the per-IP bucket, JSON bodies,
 * then the per-visitor buckets of /messages — counted before the body is read: a visitor by its token's hash, a new
 * one by its address.
 */
export function widgetGuard(ctx: AppContext, options: WidgetOptions = {}) {
  const limits = { ...WIDGET_RATE_LIMITS, ...options.rateLimits };
  const buckets = {
    ipRequests: new TokenBuckets(ctx.database, 'ipRequests', limits.ipRequests, 'requests from this address'),
    ipNewVisitors: new TokenBuckets(ctx.database, 'ipNewVisitors', limits.ipNewVisitors, 'new chats from this address'),
    visitorMessages: new TokenBuckets(
      ctx.database,
      'visitorMessages',
      limits.visitorMessages,
      'messages from this visitor',
    ),
    visitorReads: new TokenBuckets(ctx.database, 'visitorReads', limits.visitorReads, 'requests from this visitor'),
  };
  const now = () => ctx.clock.now().getTime();
  const limited = async (c: Context, take: () => Promise<void>) => {
    try {
      await take();
    } catch (e) {
      if (e instanceof DomainError && typeof e.details.retryAfterSeconds === 'number')
        c.header('Retry-After', String(e.details.retryAfterSeconds));
      throw e;
    }
  };
  return new Hono()
    .use('*', allowOrigins(options.origins ?? []))
    .use('*', async (c, next) => {
      await limited(c, () => buckets.ipRequests.take(clientAddress(c, options.trustProxy ?? false), now()));
      await next();
    })
    .use('*', requireMediaType())
    .use('/messages', async (c, next) => {
      const token = bearer(c);
      if (c.req.method === 'POST')
        await limited(c, () =>
          token
            ? buckets.visitorMessages.take(visitorTokenHash(token), now())
            : buckets.ipNewVisitors.take(clientAddress(c, options.trustProxy ?? false), now()),
        );
      else if (c.req.method === 'GET' && token)
        await limited(c, () => buckets.visitorReads.take(visitorTokenHash(token), now()));
      await next();
    })
    .use('/events', async (c, next) => {
      const token = bearer(c);
      if (token) await limited(c, () => buckets.visitorReads.take(visitorTokenHash(token), now()));
      await next();
    });
}

/** How often a visitor's stream sends a heartbeat, reads what is new and checks the token again. */
const VISITOR_HEARTBEAT_MS = 15_000;
/** Open streams per visitor token in this process: a page open in a few tabs, not a flood of connections. */
const MAX_STREAMS_PER_VISITOR = 4;
const openStreams = new Map<string, number>();

/** The built widget, read once per change of the file. */
let cachedScript: { path: string; mtimeMs: number; body: string } | undefined;

export const WIDGET_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/widget.js',
    operationId: 'getWidgetScript',
    summary: 'The chat widget script a storefront embeds with one script tag (JavaScript, not JSON)',
    tag: 'widget',
    public: true,
    errors: [],
    ok: { status: 200, description: 'The widget, text/javascript (503 with a comment while it is not built)' },
    run: async ({ server, c }) => {
      const script = server.widget.script;
      const s = script ? await stat(script).catch(() => undefined) : undefined;
      if (!script || !s)
        return c.text('// The chat widget is not built. Run `npm run prepare` (npm start does it for you).', 503, {
          'Content-Type': 'text/javascript; charset=utf-8',
        });
      if (cachedScript?.path !== script || cachedScript.mtimeMs !== s.mtimeMs)
        cachedScript = { path: script, mtimeMs: s.mtimeMs, body: await readFile(script, 'utf8') };
      return c.body(cachedScript.body, 200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/widget/v1/messages',
    operationId: 'sendVisitorMessage',
    summary: "A storefront visitor's message: opens (or continues) their conversation on channel chat",
    description:
      'Without `Authorization: Bearer <visitor token>` it starts a visitor: give `email` (anonymous) or `identity` ' +
      '(a logged-in customer signed with SOPDESK_WIDGET_SECRET; a forged hash is 401 identity_hash_invalid); the ' +
      'answer carries the new `visitorToken`. With the token, send only `body` (Idempotency-Key makes a retry safe). ' +
      'Only from an Origin in SOPDESK_WIDGET_ORIGINS (403 origin_not_allowed); 429 rate_limited with Retry-After.',
    tag: 'widget',
    public: true,
    body: VisitorMessageInput,
    errors: [400, 401, 403, 404, 409, 429],
    ok: { status: 201, description: 'The message as the visitor sees it', schema: VisitorMessageSentOut },
    run: ({ ctx, server, c, body, opts }) =>
      sendVisitorMessage(ctx, bearer(c), body, {
        identitySecret: server.widget.secret,
        idempotencyKey: opts.idempotencyKey,
      }),
  }),
  defineRoute({
    method: 'get',
    path: '/widget/v1/messages',
    operationId: 'listVisitorMessages',
    summary: "The visitor's conversation after a cursor: what they wrote and the answers, never internal notes",
    description:
      'With `Authorization: Bearer <visitor token>`; the widget polls it every few seconds. A visitor who only typed ' +
      "an email does not see confirmations about the customer's orders.",
    tag: 'widget',
    public: true,
    query: VisitorMessagesQuery,
    errors: [400, 401, 403, 429],
    ok: { status: 200, description: 'Messages after the cursor, oldest first', schema: VisitorMessagesOut },
    run: ({ ctx, c, query }) => listVisitorMessages(ctx, bearer(c), query),
  }),
  defineRoute({
    method: 'get',
    path: '/widget/v1/events',
    operationId: 'streamVisitorMessages',
    summary: "The visitor's conversation as server-sent events: each new message as it is written",
    description:
      'With `Authorization: Bearer <visitor token>` (the widget reads it with fetch, so the token stays out of URLs). ' +
      'Each SSE `messages` event carries the messages after the last one sent, with the same visibility as ' +
      'GET /widget/v1/messages; its id is the last seq, so a reconnect sends `after` (or `Last-Event-ID`) and gets ' +
      `what it missed first. A comment heartbeat every ${VISITOR_HEARTBEAT_MS / 1000} s; the stream ends when the ` +
      `token is no longer known. At most ${MAX_STREAMS_PER_VISITOR} open streams per visitor (429). The widget falls ` +
      'back to polling GET /widget/v1/messages when the stream cannot be opened.',
    tag: 'widget',
    public: true,
    query: VisitorMessagesQuery,
    errors: [400, 401, 403, 429],
    ok: {
      status: 200,
      description: 'Server-sent events: `ready`, then `messages` (this schema) as they are written',
      schema: VisitorMessagesOut,
      mediaType: 'text/event-stream',
    },
    run: async ({ ctx, server, c, query }) => {
      const token = bearer(c);
      const lastEventId = c.req.header('last-event-id');
      const after = lastEventId && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : query.after;
      const key = token ? visitorTokenHash(token) : '';
      if ((openStreams.get(key) ?? 0) >= MAX_STREAMS_PER_VISITOR)
        throw new DomainError('rate_limited', 'Too many open chat streams for this visitor; close a tab.', {
          reason: 'rate_limited',
          limit: 'visitorStreams',
          retryAfterSeconds: 30,
        });
      const heartbeatMs = server.eventHeartbeatMs ?? VISITOR_HEARTBEAT_MS;
      let stop: () => void = () => {};
      const ended = new Promise<void>((resolve) => (stop = resolve));
      let writing: Promise<unknown> = Promise.resolve();
      // Until the stream is open, what the feed reads waits here (the catch-up read runs before it opens).
      const pending: [string, string, string | undefined][] = [];
      let write = (event: string, data: string, id?: string) => void pending.push([event, data, id]);
      // Authenticates before the stream starts, so an unknown token is an ordinary 401.
      const feed = await followVisitorMessages(ctx, token, after, {
        onMessages: (batch) => write('messages', JSON.stringify(batch), String(batch.messages.at(-1)!.seq)),
        onEnd: () => stop(),
      });
      openStreams.set(key, (openStreams.get(key) ?? 0) + 1);
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        write = (event, data, id) => {
          writing = writing.then(() => stream.writeSSE({ event, data, ...(id ? { id } : {}) })).catch(() => stop());
        };
        stream.onAbort(() => stop());
        write('ready', '{}');
        for (const [e, d, i] of pending.splice(0)) write(e, d, i);
        const heartbeat = setInterval(() => {
          writing = writing
            .then(async () => {
              if (!(await feed.stillValid())) return stop();
              await stream.write(': heartbeat\n\n');
              await feed.check();
            })
            .catch(() => stop());
        }, heartbeatMs);
        try {
          await ended;
        } finally {
          clearInterval(heartbeat);
          feed.close();
          const left = (openStreams.get(key) ?? 1) - 1;
          if (left > 0) openStreams.set(key, left);
          else openStreams.delete(key);
          await writing.catch(() => undefined);
        }
      });
    },
  }),
];

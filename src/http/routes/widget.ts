/**
 * The chat widget (docs/chat-widget.md): `GET /widget.js`, the script a storefront embeds, and its public API under
 * /widget/v1, apart from the token API. A request must come from an allowed storefront origin
 * (SOPDESK_WIDGET_ORIGINS; CORS is answered for those only), is counted against per-IP and per-visitor token buckets,
 * and is bounded like every other body. A visitor is known by the secret token the widget keeps (`Authorization:
 * Bearer vt_…`): it reaches that visitor's conversation and nothing else.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppContext } from '../../app/context.js';
import { listVisitorMessages } from '../../app/chat/list-visitor-messages.js';
import { VisitorMessageInput, VisitorMessagesQuery } from '../../app/chat/schemas.js';
import { sendVisitorMessage } from '../../app/chat/send-visitor-message.js';
import { visitorTokenHash } from '../../app/chat/identity.js';
import { DomainError } from '../../kernel/errors.js';
import { WIDGET_RATE_LIMITS, type WidgetRateLimits } from '../../kernel/limits.js';
import { requireMediaType } from '../body.js';
import { idempotencyKey, parseBody, parseQuery } from '../parse.js';
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

export function widgetApiRoutes(ctx: AppContext, options: WidgetOptions = {}) {
  const limits = { ...WIDGET_RATE_LIMITS, ...options.rateLimits };
  const buckets = {
    ipRequests: new TokenBuckets('ipRequests', limits.ipRequests, 'requests from this address'),
    ipNewVisitors: new TokenBuckets('ipNewVisitors', limits.ipNewVisitors, 'new chats from this address'),
    visitorMessages: new TokenBuckets('visitorMessages', limits.visitorMessages, 'messages from this visitor'),
    visitorReads: new TokenBuckets('visitorReads', limits.visitorReads, 'requests from this visitor'),
  };
  const now = () => ctx.clock.now().getTime();
  const limited = (c: Context, take: () => void) => {
    try {
      take();
    } catch (e) {
      if (e instanceof DomainError && typeof e.details.retryAfterSeconds === 'number')
        c.header('Retry-After', String(e.details.retryAfterSeconds));
      throw e;
    }
  };
  return new Hono()
    .use('*', allowOrigins(options.origins ?? []))
    .use('*', async (c, next) => {
      limited(c, () => buckets.ipRequests.take(clientAddress(c, options.trustProxy ?? false), now()));
      await next();
    })
    .use('*', requireMediaType())
    .post('/messages', async (c) => {
      const token = bearer(c);
      // Counted before the body is read: a visitor by its token's hash, a new one by its address.
      limited(c, () =>
        token
          ? buckets.visitorMessages.take(visitorTokenHash(token), now())
          : buckets.ipNewVisitors.take(clientAddress(c, options.trustProxy ?? false), now()),
      );
      const input = await parseBody(c, VisitorMessageInput);
      const sent = await sendVisitorMessage(ctx, token, input, {
        identitySecret: options.secret,
        idempotencyKey: idempotencyKey(c),
      });
      return c.json(sent, 201);
    })
    .get('/messages', async (c) => {
      const token = bearer(c);
      if (token) limited(c, () => buckets.visitorReads.take(visitorTokenHash(token), now()));
      return c.json(await listVisitorMessages(ctx, token, parseQuery(c, VisitorMessagesQuery)));
    });
}

/** `GET /widget.js`: the built widget, read once per change of the file. */
export function widgetScriptRoute(script: string | undefined) {
  let cached: { mtimeMs: number; body: string } | undefined;
  return new Hono().get('/widget.js', async (c) => {
    const s = script ? await stat(script).catch(() => undefined) : undefined;
    if (!script || !s)
      return c.text('// The chat widget is not built. Run `npm run prepare` (npm start does it for you).', 503, {
        'Content-Type': 'text/javascript; charset=utf-8',
      });
    if (cached?.mtimeMs !== s.mtimeMs) cached = { mtimeMs: s.mtimeMs, body: await readFile(script, 'utf8') };
    return c.body(cached.body, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    });
  });
}

/**
 * `npm run bench -- widget`: the chat widget's live path over loopback HTTP, on a fresh PostgreSQL database and on the
 * embedded PGlite. A visitor's message: from the widget's POST to its \`message.received\` event on an agent's inbox
 * stream (\`GET /v1/events\`), and to the POST's 201 (answered after the commit). An agent's reply: from the agent's
 * POST to the \`messages\` event carrying it on the visitor's widget stream (\`GET /widget/v1/events\`), the way the
 * widget receives replies. One message at a time: latency, not throughput. pgbench's TPC-B and the load average come
 * after, so the figures sit beside the machine's.
 */
import { loadavg } from 'node:os';
import { serve } from '@hono/node-server';
import { openDatabase, type Database } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { createApp } from '../src/http/app.js';
import { createToken } from '../src/app/tokens/tokens.js';
import { endLiveEvents } from '../src/app/live/live-events.js';
import { readSse, type SseReader } from '../test/support/sse.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const MESSAGES = Number(process.env.BENCH_WIDGET_MESSAGES ?? 500);
const REPLIES = Number(process.env.BENCH_WIDGET_REPLIES ?? 50);
const SHOP = 'https://shop.example';
const MANY = { burst: 1e9, perMinute: 1e9 };

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1));
};

async function measure(database: Database) {
  const ctx = { database, clock: systemClock };
  const app = createApp(ctx, {
    widget: {
      origins: [SHOP],
      rateLimits: { ipRequests: MANY, ipNewVisitors: MANY, visitorMessages: MANY, visitorReads: MANY },
    },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const agent = (await createToken(ctx, { role: 'agent', name: 'bench' })).token;
  const call = async (
    path: string,
    init: { method?: string; body?: unknown; token?: string | undefined; api?: boolean },
  ) => {
    const res = await fetch(url + path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.api ? {} : { origin: SHOP }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const stream = async (path: string, token: string, api: boolean): Promise<SseReader> => {
    const res = await fetch(url + path, {
      headers: { authorization: `Bearer ${token}`, ...(api ? {} : { origin: SHOP }) },
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const s = readSse(res);
    await s.next((m) => m.event === 'ready');
    return s;
  };
  const inbox = await stream('/v1/events', agent, true);
  try {
    const visitors: { token: string }[] = [];
    const stored: number[] = [];
    const inInbox: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const v = visitors[i % 50];
      const body = `Message ${i}`;
      const t0 = performance.now();
      const event = inbox.next(
        (m) => m.data.includes('"type":"message.received"') && m.data.includes(`"excerpt":"${body}"`),
      );
      const sent = await call('/widget/v1/messages', {
        method: 'POST',
        token: v?.token,
        body: v ? { body } : { body, email: `visitor${i}@bench.example` },
      });
      stored.push(performance.now() - t0);
      await event;
      inInbox.push(performance.now() - t0);
      if (!v) visitors.push({ token: sent.visitorToken });
    }
    const replies: number[] = [];
    for (let i = 0; i < REPLIES; i++) {
      const k = i % visitors.length;
      const v = visitors[k]!;
      const q = encodeURIComponent(`visitor${k}@bench.example`);
      const c = (await call(`/v1/conversations?channel=chat&q=${q}`, { token: agent, api: true })).items[0];
      const before = (await call('/widget/v1/messages', { token: v.token })).messages.at(-1).seq;
      const widget = await stream(`/widget/v1/events?after=${before}`, v.token, false);
      const body = `Reply ${i}`;
      const t0 = performance.now();
      const shown = widget.next((m) => m.event === 'messages' && m.data.includes(`"body":"${body}"`));
      await call(`/v1/conversations/${c.id}/replies`, { method: 'POST', token: agent, api: true, body: { body } });
      await shown;
      replies.push(performance.now() - t0);
      await widget.close();
    }
    return {
      messages: MESSAGES,
      messageStored: { p50ms: quantile(stored, 0.5), p99ms: quantile(stored, 0.99) },
      messageInInbox: { p50ms: quantile(inInbox, 0.5), p99ms: quantile(inInbox, 0.99) },
      replies: REPLIES,
      replyInWidget: { p50ms: quantile(replies, 0.5), p99ms: quantile(replies, 0.99) },
    };
  } finally {
    await inbox.close();
    await endLiveEvents(ctx);
    await new Promise<void>((r) => server.close(() => r()));
  }
}

export async function widgetBench() {
  const db = await scratchDatabase('widget');
  try {
    log(`widget on PostgreSQL: ${MESSAGES} messages, ${REPLIES} replies`);
    const pg = await openDatabase({ url: db.url, poolSize: 4 });
    const postgres = await measure(pg);
    await pg.close();
    log('widget on the embedded database');
    const lite = await openDatabase();
    const embedded = await measure(lite);
    await lite.close();
    const loadAverage = Number(loadavg()[0]!.toFixed(1));
    log('pgbench TPC-B, 8 clients, 10 s');
    return { postgres, embedded, loadAverage, pgbenchTpcb: await pgbench('tpcb', 8, 10) };
  } finally {
    await db.drop();
  }
}

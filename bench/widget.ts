/**
 * `npm run bench -- widget`: the chat widget's API over loopback HTTP, on a fresh PostgreSQL database and on the
 * embedded PGlite. A message's time is from the widget's POST to its 201, which is answered after the message is
 * committed (stored, in the inbox); a reply's, from the agent's POST to the first GET of the visitor's messages that
 * shows it (the widget itself asks every 3 s, which adds up to that). One request at a time: latency, not throughput.
 */
import { serve } from '@hono/node-server';
import { openDatabase, type Database } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { createApp } from '../src/http/app.js';
import { createToken } from '../src/app/tokens/tokens.js';
import { log, scratchDatabase } from './lib.js';

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
  try {
    const visitors: { token: string }[] = [];
    const stored: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const v = visitors[i % 50];
      const t0 = performance.now();
      const sent = await call('/widget/v1/messages', {
        method: 'POST',
        token: v?.token,
        body: v ? { body: `Message ${i}` } : { body: `Message ${i}`, email: `visitor${i}@bench.example` },
      });
      stored.push(performance.now() - t0);
      if (!v) visitors.push({ token: sent.visitorToken });
    }
    const replies: number[] = [];
    for (let i = 0; i < REPLIES; i++) {
      const k = i % visitors.length;
      const v = visitors[k]!;
      const q = encodeURIComponent(`visitor${k}@bench.example`);
      const c = (await call(`/v1/conversations?channel=chat&q=${q}`, { token: agent, api: true })).items[0];
      const before = (await call('/widget/v1/messages', { token: v.token })).messages.at(-1).seq;
      const t0 = performance.now();
      await call(`/v1/conversations/${c.id}/replies`, {
        method: 'POST',
        token: agent,
        api: true,
        body: { body: `Reply ${i}` },
      });
      // The visitor of that conversation sees it at their next poll.
      for (;;) {
        const got = await call(`/widget/v1/messages?after=${before}`, { token: v.token });
        if (got.messages.length) break;
        if (performance.now() - t0 > 5000) throw new Error('a reply did not reach its visitor within 5 s');
      }
      replies.push(performance.now() - t0);
    }
    return {
      messages: MESSAGES,
      messageStored: { p50ms: quantile(stored, 0.5), p99ms: quantile(stored, 0.99) },
      replies: REPLIES,
      replyReadable: { p50ms: quantile(replies, 0.5), p99ms: quantile(replies, 0.99) },
    };
  } finally {
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
    return { postgres, embedded };
  } finally {
    await db.drop();
  }
}

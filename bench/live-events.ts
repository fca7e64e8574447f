/**
 * `npm run bench -- live`: the live event stream across processes on PostgreSQL. Two servers share a fresh database:
 * writes go to one (POST /v1/conversations/inbound), the SSE subscribers listen on the other (GET /v1/events), so
 * every event crosses LISTEN/NOTIFY. Latency: one write at a time, from sending the request to its message.received
 * event read by the subscriber (p50/p99, loopback). Throughput: writers at full speed with several subscribers, the
 * events per second each subscriber receives, and whether every one arrived. Ceiling: the HTTP writes cannot outrun
 * the streams, so events are then written straight into the timeline by this process, in transactions of 50 each
 * announced as a write announces them, faster than the streams deliver: what the subscribers receive per second is
 * what the channel sustains (the reading process's share of the two cores).
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/database.js';
import { EVENTS_CHANNEL } from '../src/db/repo/journal.js';
import { readSse, type SseMessage } from '../test/support/sse.js';
import { ADMIN_TOKEN, log, pgbench, scratchDatabase, startServer } from './lib.js';

const LATENCY_WRITES = Number(process.env.BENCH_LIVE_WRITES ?? 300);
const BURST_WRITES = Number(process.env.BENCH_LIVE_BURST ?? 2000);
const WRITERS = 16;
const SUBSCRIBERS = 8;
const FLOOD_SECONDS = Number(process.env.BENCH_LIVE_FLOOD_SECONDS ?? 10);
const FLOOD_BATCH = 50;

const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

function percentile(sorted: number[], p: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1));
}

async function post(url: string, path: string, body: unknown): Promise<any> {
  const r = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function liveEvents() {
  const db = await scratchDatabase('live');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const writer = await startServer({ DATABASE_URL: db.url, SOPDESK_DEMO: 'false' }, port);
  const reader = await startServer({ DATABASE_URL: db.url, SOPDESK_DEMO: 'false' }, port + 1);
  try {
    const customers = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        post(writer.url, '/v1/customers', { name: `Live ${i}`, emails: [`live${i}@bench.example`] }),
      ),
    );
    const subscribe = async (onMessage?: (m: SseMessage) => void) => {
      const res = await fetch(`${reader.url}/v1/events`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const s = readSse(res, onMessage);
      await s.next((m) => m.event === 'ready');
      return s;
    };

    log(`latency: ${LATENCY_WRITES} writes, one at a time`);
    const waiting = new Map<string, (at: number) => void>();
    const sub = await subscribe((m) => {
      if (m.event !== 'message') return;
      const e = JSON.parse(m.data) as { type: string; data: { excerpt?: string } };
      if (e.type === 'message.received') waiting.get(e.data.excerpt ?? '')?.(performance.now());
    });
    const latencies: number[] = [];
    const writeMs: number[] = [];
    for (let i = 0; i < LATENCY_WRITES; i++) {
      const marker = `latency ${i}`;
      const arrived = new Promise<number>((resolve) => waiting.set(marker, resolve));
      const t0 = performance.now();
      await post(writer.url, '/v1/conversations/inbound', { customerId: customers[i % WRITERS].id, body: marker });
      writeMs.push(performance.now() - t0);
      latencies.push((await arrived) - t0);
      waiting.delete(marker);
    }
    await sub.close();
    latencies.sort((a, b) => a - b);
    writeMs.sort((a, b) => a - b);

    log(`throughput: ${BURST_WRITES} writes by ${WRITERS} writers, ${SUBSCRIBERS} subscribers`);
    const counts = Array.from({ length: SUBSCRIBERS }, () => ({ messages: 0, events: 0, last: 0 }));
    const subs = await Promise.all(
      counts.map((c) =>
        subscribe((m) => {
          if (m.event !== 'message') return;
          c.events++;
          c.last = performance.now();
          if (m.data.includes('"type":"message.received"') && m.data.includes('burst ')) c.messages++;
        }),
      ),
    );
    let next = 0;
    const t1 = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = next++; i < BURST_WRITES; i = next++)
          await post(writer.url, '/v1/conversations/inbound', { customerId: customers[w].id, body: `burst ${i}` });
      }),
    );
    const writesDone = performance.now();
    const deadline = Date.now() + 60_000;
    while (counts.some((c) => c.messages < BURST_WRITES) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await Promise.all(subs.map((s) => s.close()));
    const lastEvent = Math.max(...counts.map((c) => c.last));
    const seconds = (lastEvent - t1) / 1000;
    const events = Math.min(...counts.map((c) => c.events));

    log(`ceiling: events written straight into the timeline for ${FLOOD_SECONDS} s, ${SUBSCRIBERS} subscribers`);
    const flood = Array.from({ length: SUBSCRIBERS }, () => ({ events: 0, first: 0, last: 0 }));
    const floodSubs = await Promise.all(
      flood.map((c) =>
        subscribe((m) => {
          if (m.event !== 'message' || !m.data.includes('"excerpt":"flood"')) return;
          c.first ||= performance.now();
          c.events++;
          c.last = performance.now();
        }),
      ),
    );
    const direct = await openDatabase({ url: db.url, poolSize: 1 });
    let written = 0;
    const t2 = performance.now();
    while (performance.now() - t2 < FLOOD_SECONDS * 1000) {
      await direct.db.execute(sql`
        with t as (
          insert into timeline_events (id, customer_id, type, actor_kind, data, occurred_at)
          select 'evt_flood' || ${written} || '_' || g, ${customers[0].id}, 'note.added', 'system',
                 jsonb_build_object('conversationId', 'cnv_flood', 'messageId', 'msg_flood', 'excerpt', 'flood'), now()
          from generate_series(1, ${FLOOD_BATCH}) g returning seq)
        select pg_notify(${EVENTS_CHANNEL}, json_build_object('seqs', json_agg(seq order by seq))::text) from t`);
      written += FLOOD_BATCH;
    }
    const floodWritten = performance.now();
    await direct.close();
    const floodDeadline = Date.now() + 120_000;
    while (flood.some((c) => c.events < written) && Date.now() < floodDeadline)
      await new Promise((r) => setTimeout(r, 20));
    await Promise.all(floodSubs.map((s) => s.close()));
    const floodEnd = Math.max(...flood.map((c) => c.last));
    const floodSeconds = (floodEnd - t2) / 1000;
    const floodEvents = Math.min(...flood.map((c) => c.events));
    const loadAverage = Number(loadavg()[0]!.toFixed(1));
    log('pgbench TPC-B, 8 clients, 10 s');
    const pgbenchTpcb = await pgbench('tpcb', 8, 10);
    return {
      database: 'server',
      latency: {
        writes: LATENCY_WRITES,
        p50ms: percentile(latencies, 50),
        p99ms: percentile(latencies, 99),
        writeP50ms: percentile(writeMs, 50),
        writeP99ms: percentile(writeMs, 99),
      },
      throughput: {
        writes: BURST_WRITES,
        writers: WRITERS,
        subscribers: SUBSCRIBERS,
        writesPerSecond: Math.round(BURST_WRITES / ((writesDone - t1) / 1000)),
        eventsPerSubscriber: events,
        eventsPerSecondPerSubscriber: Math.round(events / seconds),
        eventsPerSecondAllSubscribers: Math.round((events * SUBSCRIBERS) / seconds),
        allArrived: counts.every((c) => c.messages === BURST_WRITES),
        lagAfterLastWriteMs: Math.round(lastEvent - writesDone),
      },
      ceiling: {
        subscribers: SUBSCRIBERS,
        eventsWritten: written,
        eventsWrittenPerSecond: Math.round(written / ((floodWritten - t2) / 1000)),
        eventsPerSubscriber: floodEvents,
        eventsPerSecondPerSubscriber: Math.round(floodEvents / floodSeconds),
        eventsPerSecondAllSubscribers: Math.round((floodEvents * SUBSCRIBERS) / floodSeconds),
        allArrived: flood.every((c) => c.events === written),
        lagAfterLastWriteMs: Math.round(floodEnd - floodWritten),
      },
      loadAverage,
      pgbenchTpcb,
    };
  } finally {
    await Promise.all([writer.stop(), reader.stop()]);
    await db.drop();
  }
}

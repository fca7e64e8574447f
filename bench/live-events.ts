/**
 * `npm run bench -- live`: the live event stream across processes on PostgreSQL. Two servers share a fresh database:
 * writes go to one (POST /v1/conversations/inbound), the SSE subscribers listen on the other (GET /v1/events), so
 * every event crosses LISTEN/NOTIFY. Latency: one write at a time, from sending the request to its message.received
 * event read by the subscriber (p50/p99, loopback). Throughput: writers at full speed with several subscribers, the
 * events per second each subscriber receives, and whether every one arrived.
 */
import { readSse, type SseMessage } from '../test/support/sse.js';
import { ADMIN_TOKEN, log, scratchDatabase, startServer } from './lib.js';

const LATENCY_WRITES = Number(process.env.BENCH_LIVE_WRITES ?? 300);
const BURST_WRITES = Number(process.env.BENCH_LIVE_BURST ?? 2000);
const WRITERS = 16;
const SUBSCRIBERS = 8;

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
    };
  } finally {
    await Promise.all([writer.stop(), reader.stop()]);
    await db.drop();
  }
}

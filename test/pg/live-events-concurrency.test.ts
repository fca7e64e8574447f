/**
 * On PostgreSQL only: a write on one connection pool (another server process, as far as the database can tell) reaches
 * a subscriber of another through LISTEN/NOTIFY once it commits; a listening connection the server drops is replaced,
 * and its subscribers are told to read afresh; a subscriber that comes back gets what committed while it was away, even
 * an event whose seq is below the last one it saw, and not what it had already when another database was busy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { openDatabase, rows, type Database } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { InboundInput } from '../../src/app/inbox/schemas.js';
import { receiveMessage } from '../../src/app/inbox/receive-message.js';
import { endLiveEvents, subscribeEvents, type LiveEvent } from '../../src/app/live/live-events.js';
import { writeJournal } from '../../src/db/repo/journal.js';
import { newId } from '../../src/kernel/ids.js';

let db: TestDb;
let other: Database;
let writer: AppContext;
let reader: AppContext;

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 4 });
  other = await openDatabase({ url: db.url!, poolSize: 4 });
  writer = { database: db.database, clock: new FixedClock(T0) };
  reader = { database: other, clock: new FixedClock(T0) };
});
afterAll(async () => {
  await endLiveEvents(reader);
  await other.close();
  await db.drop();
});

function collect() {
  const events: LiveEvent[] = [];
  let resets = 0;
  const waiters = new Set<() => void>();
  const changed = () => {
    for (const w of waiters) w();
  };
  return {
    events,
    get resets() {
      return resets;
    },
    subscriber: {
      filter: {},
      onEvent: (e: LiveEvent) => {
        events.push(e);
        changed();
      },
      onReset: () => {
        resets++;
        changed();
      },
      onEnd: () => {},
    },
    until(test: () => boolean, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!test()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(events)}`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

describe('live events across connections on PostgreSQL', () => {
  it("a message written through one pool reaches the other pool's subscriber, after the commit", async () => {
    const seen = collect();
    const sub = await subscribeEvents(reader, seen.subscriber);
    const customer = await upsertCustomer(
      writer,
      CustomerInput.parse({ name: 'Jordan Lee', emails: ['jordan@example.com'] }),
      { actor: { kind: 'system' } },
    );
    await receiveMessage(writer, InboundInput.parse({ customerId: customer.id, body: 'Can I return the T-shirt?' }), {
      actor: { kind: 'system' },
    });
    await seen.until(() => seen.events.some((e) => e.type === 'message.received'));
    expect(seen.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['customer.created', 'conversation.created', 'message.received']),
    );
    const seqs = seen.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    sub.close();
  });

  it('many writers at once: every event arrives once', async () => {
    const seen = collect();
    const sub = await subscribeEvents(reader, seen.subscriber);
    const customer = await upsertCustomer(writer, CustomerInput.parse({ name: 'Many', emails: ['many@example.com'] }), {
      actor: { kind: 'system' },
    });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        receiveMessage(writer, InboundInput.parse({ customerId: customer.id, body: `message ${i}` }), {
          actor: { kind: 'system' },
        }),
      ),
    );
    const [count] = await rows<{ n: number }>(
      db.database.db,
      sql`select count(*)::int as n from timeline_events where type = 'message.received' and customer_id = ${customer.id}`,
    );
    expect(count?.n).toBe(40);
    await seen.until(
      () => seen.events.filter((e) => e.type === 'message.received' && e.customerId === customer.id).length >= 40,
    );
    const received = seen.events.filter((e) => e.type === 'message.received' && e.customerId === customer.id);
    expect(new Set(received.map((e) => e.seq)).size).toBe(40);
    expect(received).toHaveLength(40);
    sub.close();
  });

  it('a listening connection the server drops is replaced: subscribers are told to reset, and events flow again', async () => {
    const seen = collect();
    const sub = await subscribeEvents(reader, seen.subscriber);
    await db.database.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
    );
    await seen.until(() => seen.resets > 0);
    const customer = await upsertCustomer(
      writer,
      CustomerInput.parse({ name: 'After', emails: ['after@example.com'] }),
      { actor: { kind: 'system' } },
    );
    await seen.until(() => seen.events.some((e) => e.customerId === customer.id));
    sub.close();
  });

  it('a subscriber that comes back gets an event that committed while it was away below the last seq it saw', async () => {
    const customer = await upsertCustomer(writer, CustomerInput.parse({ name: 'Late', emails: ['late@example.com'] }), {
      actor: { kind: 'system' },
    });
    const id = newId('event', Date.parse(T0));
    // One write takes its seq and holds its transaction open while a later write commits.
    let journaled!: () => void;
    let commit!: () => void;
    const inJournal = new Promise<void>((resolve) => (journaled = resolve));
    const held = new Promise<void>((resolve) => (commit = resolve));
    const slow = db.database.db.transaction(async (tx) => {
      await writeJournal(tx, {
        at: T0,
        events: [
          {
            id,
            customerId: customer.id,
            orderId: null,
            type: 'customer.updated',
            actorKind: 'system',
            actorId: null,
            data: { changed: ['notes'] },
            outboxId: newId('outbox', Date.parse(T0)),
            payload: {},
            webhook: null,
          },
        ],
      });
      journaled();
      await held;
    });
    await inJournal;
    const away = collect();
    const sub = await subscribeEvents(reader, away.subscriber);
    await receiveMessage(writer, InboundInput.parse({ customerId: customer.id, body: 'Where is my order?' }), {
      actor: { kind: 'system' },
    });
    await away.until(() => away.events.some((e) => e.type === 'message.received' && e.customerId === customer.id));
    const last = away.events.at(-1)!.seq;
    sub.close();

    // While it is away, the held write commits, and the process hands its event to those still listening.
    const witness = collect();
    const stays = await subscribeEvents(reader, witness.subscriber);
    commit();
    await slow;
    await witness.until(() => witness.events.some((e) => e.id === id));
    stays.close();
    const late = witness.events.find((e) => e.id === id);
    expect(late!.seq).toBeLessThan(last);

    const back = collect();
    const resumed = await subscribeEvents(reader, { ...back.subscriber, afterSeq: last });
    expect(back.events.map((e) => e.id)).toContain(id);
    expect(back.events.filter((e) => e.seq > last)).toEqual([]);
    resumed.close();
  });

  it('a subscriber that comes back while another database holds a transaction gets only what it missed', async () => {
    const customer = await upsertCustomer(writer, CustomerInput.parse({ name: 'Busy', emails: ['busy@example.com'] }), {
      actor: { kind: 'system' },
    });
    // Another database on the same server (another application, another test) holds a transaction with an id.
    const elsewhere = await openDatabase({ url: new URL('/postgres', db.url!).href, poolSize: 1 });
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const hold = elsewhere.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_current_xact_id()`);
      holding();
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      await held;
      const away = collect();
      const sub = await subscribeEvents(reader, away.subscriber);
      for (const body of ['Had one', 'Had two', 'Had three'])
        await receiveMessage(writer, InboundInput.parse({ customerId: customer.id, body }), {
          actor: { kind: 'system' },
        });
      await away.until(() => away.events.some((e) => e.data.excerpt === 'Had three'));
      const last = away.events.at(-1)!.seq;
      sub.close();
      await receiveMessage(writer, InboundInput.parse({ customerId: customer.id, body: 'Missed' }), {
        actor: { kind: 'system' },
      });
      const back = collect();
      const resumed = await subscribeEvents(reader, { ...back.subscriber, afterSeq: last });
      expect(back.events.filter((e) => e.type === 'message.received').map((e) => e.data.excerpt)).toEqual(['Missed']);
      expect(back.events.every((e) => e.seq > last)).toBe(true);
      resumed.close();
    } finally {
      release();
      await hold;
      await elsewhere.close();
    }
  });
});

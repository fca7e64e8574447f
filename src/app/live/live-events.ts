/**
 * The live event stream: every accepted write's timeline events, pushed to subscribers as soon as the write commits.
 * The write announces its events' seqs on a notification channel in the statement that journals them
 * (`writeJournal`), so the announcement leaves only on commit: from any process on PostgreSQL (LISTEN/NOTIFY), and
 * from the one process of the embedded store. Each process listens once (per database) and reads the announced events
 * once, then hands each to the subscribers whose filter it passes, in commit order. A subscriber that was away names
 * the last seq it saw and gets what it missed first: the events after it, and those of the transactions still running
 * when it was written, which may have committed later with lower seqs (`findStreamEvents`).
 */
import type { Database } from '../../db/database.js';
import { EVENTS_CHANNEL } from '../../db/repo/journal.js';
import { findStreamEvents, type StreamEventRow } from '../../db/repo/timeline.js';
import { findConversation } from '../../db/repo/inbox.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';

export type LiveEvent = StreamEventRow;

/** Which events a subscriber gets: all, or one customer's, or one conversation's. */
export interface EventFilter {
  customerId?: string | undefined;
  conversationId?: string | undefined;
}

export interface EventSubscriber {
  filter: EventFilter;
  /**
   * The last seq the subscriber saw (an SSE `Last-Event-ID`): what committed after it is sent first, with perhaps a
   * few events that committed just before it. Absent = from now.
   */
  afterSeq?: number | undefined;
  onEvent(event: LiveEvent): void;
  /**
   * More was missed than can be replayed (over `REPLAY_LIMIT` events), or the process lost its listening connection
   * for a moment: the subscriber should read afresh what it shows.
   */
  onReset(): void;
  /** The stream is ending (the server shuts down). */
  onEnd(): void;
}

export interface EventSubscription {
  close(): void;
}

/** At most this many missed events are replayed to a subscriber that comes back; past that it is told to reset. */
export const REPLAY_LIMIT = 1000;

/**
 * Subscribes to the events of `ctx`'s database that pass `filter`. The inbox (`GET /v1/events`) subscribes with the
 * caller's filter; a storefront widget subscribes to its conversation with `{ conversationId }` (and its customer).
 */
export async function subscribeEvents(ctx: AppContext, subscriber: EventSubscriber): Promise<EventSubscription> {
  const hub = hubOf(ctx.database);
  await hub.listening();
  return hub.add(subscriber);
}

/**
 * The filter of a stream for a caller: a token bound to a customer sees only that customer's events (another customer,
 * or a conversation of another, is not found), everyone else what they ask for. A conversation named must exist.
 */
export async function streamFilter(
  ctx: AppContext,
  caller: { customerId?: string | undefined },
  asked: EventFilter,
): Promise<EventFilter> {
  const own = caller.customerId;
  if (own && asked.customerId && asked.customerId !== own) throw notFound('customer', asked.customerId);
  const customerId = own ?? asked.customerId;
  if (!asked.conversationId) return { customerId };
  const c = await findConversation(ctx.database.db, asked.conversationId);
  if (!c || (customerId && c.customerId !== customerId)) throw notFound('conversation', asked.conversationId);
  return { customerId: c.customerId, conversationId: c.id };
}

/** Ends every stream of `ctx`'s database and stops listening: before the HTTP server closes, which waits for them. */
export async function endLiveEvents(ctx: AppContext): Promise<void> {
  const hub = HUBS.get(ctx.database);
  HUBS.delete(ctx.database);
  await hub?.end();
}

const HUBS = new WeakMap<Database, Hub>();

function hubOf(database: Database): Hub {
  let hub = HUBS.get(database);
  if (!hub) HUBS.set(database, (hub = new Hub(database)));
  return hub;
}

/** Seqs already handed out, to drop one read twice (a range another write's events fall in). */
const RECENT = 4096;

interface Member {
  subscriber: EventSubscriber;
  /** Events that arrived while the member's replay was read; null once it is live. */
  pending: LiveEvent[] | null;
  /** The seqs its replay sent: a notification read after the replay may name them again. */
  replayed: Set<number>;
}

class Hub {
  private readonly members = new Set<Member>();
  private started: Promise<() => Promise<void>> | undefined;
  /** Notifications are read one after another, so events go out in commit order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly recent = new Set<number>();

  constructor(private readonly database: Database) {}

  listening(): Promise<unknown> {
    this.started ??= this.database.listen(EVENTS_CHANNEL, {
      onNotify: (payload) => this.enqueue(() => this.announced(payload)),
      onReconnect: () => this.enqueue(async () => this.each((m) => m.subscriber.onReset())),
    });
    return this.started;
  }

  async add(subscriber: EventSubscriber): Promise<EventSubscription> {
    const member: Member = {
      subscriber,
      pending: subscriber.afterSeq === undefined ? null : [],
      replayed: new Set(),
    };
    this.members.add(member);
    const subscription = { close: () => void this.members.delete(member) };
    if (subscriber.afterSeq === undefined) return subscription;
    try {
      const missed = await findStreamEvents(this.database.db, {
        after: subscriber.afterSeq,
        limit: REPLAY_LIMIT + 1,
        ...subscriber.filter,
      });
      if (missed.length > REPLAY_LIMIT) subscriber.onReset();
      else
        for (const e of missed) {
          member.replayed.add(e.seq);
          subscriber.onEvent(e);
        }
      for (const e of member.pending ?? []) if (!member.replayed.has(e.seq)) subscriber.onEvent(e);
    } finally {
      member.pending = null;
    }
    return subscription;
  }

  async end(): Promise<void> {
    const members = [...this.members];
    this.members.clear();
    for (const m of members) m.subscriber.onEnd();
    const stop = await this.started?.catch(() => undefined);
    await stop?.();
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(work)
      .catch((e: unknown) => console.error('sopdesk: live events could not be read', e));
  }

  private each(fn: (m: Member) => void): void {
    for (const m of this.members) fn(m);
  }

  private async announced(payload: string): Promise<void> {
    if (!this.members.size) return;
    const named = JSON.parse(payload) as { seqs: number[] } | { from: number; to: number };
    const events = await findStreamEvents(this.database.db, named);
    for (const e of events) {
      if (this.recent.has(e.seq)) continue;
      this.recent.add(e.seq);
      if (this.recent.size > RECENT) this.recent.delete(this.recent.values().next().value!);
      this.each((m) => {
        if (!passes(m.subscriber.filter, e) || m.replayed.has(e.seq)) return;
        if (m.pending) m.pending.push(e);
        else m.subscriber.onEvent(e);
      });
    }
  }
}

function passes(filter: EventFilter, e: LiveEvent): boolean {
  return (
    (!filter.customerId || e.customerId === filter.customerId) &&
    (!filter.conversationId || e.conversationId === filter.conversationId)
  );
}

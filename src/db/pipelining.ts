/**
 * Pipelining on a PostgreSQL server. On this kind of machine a statement's round trip costs the server process and
 * PostgreSQL more CPU than most of our statements do (each send over loopback wakes the other side), so a transaction
 * sends what it can without waiting for answers:
 * - `begin` goes out with the transaction's first statement behind it;
 * - `together` sends statements whose results do not feed each other back to back (an order's lock, then its read);
 * - `beforeCommit` sends a statement whose result nothing reads (the journal) with the `commit`;
 * and statements sent together leave in one write to the socket.
 * PostgreSQL runs statements in the order they arrive, so the meaning is the same as one by one; a statement that fails
 * aborts the transaction, and a `commit` behind it then rolls back. The embedded database runs them one by one.
 *
 * The order on the wire is the order in which statements reach the driver. A statement sent without waiting must
 * therefore reach it at once, within the call (as `preparedRows` statements do; drizzle's query builders and
 * `db.execute` wait a tick first): `together` and `beforeCommit` check that it did and throw otherwise.
 */
import type { Pool } from 'pg';
import type { Db, Executor, Tx } from './database.js';

interface Pipeline {
  /** Statements the driver was given so far. */
  sent: number;
  /** Statements to send with the commit (`beforeCommit`). */
  atCommit: (() => Promise<unknown>)[];
  /** A statement did not reach the driver at once: the transaction must fail. */
  stray?: boolean;
  /** The pooled client, whose socket `together` corks. */
  client: unknown;
}
/** The transactions this module opened. */
const pipelines = new WeakMap<object, Pipeline>();

const quiet = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => {}); // settled later, by whoever awaits it
  return p;
};

/** The socket under a pooled client: corked, the statements written meanwhile leave in one send. */
type Corkable = { connection: { stream: { cork(): void; uncork(): void } } };
function corked<T>(client: unknown, write: () => T): T {
  const { stream } = (client as Corkable).connection;
  stream.cork();
  try {
    return write();
  } finally {
    stream.uncork();
  }
}

/**
 * `Database.transaction` for a pool in pipeline mode. `begin` leaves in one send with the statements `fn` issues before
 * it first waits (an order action's lock and read), and `commit` in one send with the `beforeCommit` statements.
 */
export async function pipelinedTransactions(
  pool: Pool,
  db: Db,
): Promise<<T>(fn: (tx: Tx) => Promise<T>) => Promise<T>> {
  const { NodePgSession, NodePgTransaction } = await import('drizzle-orm/node-postgres');
  const dialect = (db as unknown as { dialect: ConstructorParameters<typeof NodePgSession>[1] }).dialect;
  return async (fn) => {
    const client = await pool.connect();
    const pipe: Pipeline = { sent: 0, atCommit: [], client };
    // drizzle's session only calls `query` on its client: counting the calls tells when a statement reached the driver.
    const counted = Object.assign(Object.create(client) as typeof client, {
      query: (...args: Parameters<typeof client.query>) => {
        pipe.sent++;
        return client.query(...args);
      },
    });
    const tx = new NodePgTransaction(
      dialect,
      new NodePgSession(counted, dialect, undefined),
      undefined,
    ) as unknown as Tx;
    pipelines.set(tx, pipe);
    let broken: Error | undefined;
    try {
      const [begun, running] = corked(client, () => [quiet(client.query('begin')), fn(tx)] as const);
      const result = await running;
      pipelines.delete(tx);
      const [pending, committed] = corked(client, () => {
        const sent = pipe.atCommit.map((send) => sentAtOnce(pipe, send));
        // A statement that has not reached the driver yet must not end up behind the commit: no commit then.
        return [sent, pipe.stray ? undefined : quiet(client.query('commit'))] as const;
      });
      await begun;
      for (const p of pending) await p;
      await committed;
      return result;
    } catch (e) {
      pipelines.delete(tx);
      await client.query('rollback').catch((r: unknown) => (broken = r instanceof Error ? r : new Error(String(r))));
      throw e;
    } finally {
      client.release(broken);
    }
  };
}

/**
 * Sends two statements of one transaction back to back, in one socket write, and resolves with both results. `b` may
 * depend on what `a` does (it runs after `a`, with a snapshot taken after `a` finished) but not on what `a` returns.
 */
export async function together<A, B>(ex: Executor, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  const pipe = pipelines.get(ex);
  if (!pipe) return [await a(), await b()];
  // Corked: both leave in one socket write (node-postgres corks each statement on its own, which is a send per statement).
  const [pa, pb] = corked(pipe.client, () => {
    const first = sentAtOnce(pipe, a);
    // when `a` fails, `b` fails with it (the transaction is aborted): `a`'s error is the one to report
    return [first, quiet(b())] as const;
  });
  return [await pa, await pb];
}

/** Calls `send`, which must hand its statement to the driver before it returns: what follows is sent behind it. */
function sentAtOnce<T>(pipe: Pipeline, send: () => Promise<T>): Promise<T> {
  const before = pipe.sent;
  const p = quiet(send());
  if (pipe.sent > before) return p;
  // A programming error: fail the transaction, once the stray statement has run inside it.
  pipe.stray = true;
  const fail = () => {
    throw new Error(
      'pipelining: a statement did not reach the driver at once (it awaited first); send it with preparedRows',
    );
  };
  return quiet(p.then(fail, fail));
}

/**
 * Has `send`, a statement of this transaction whose result nothing reads, run last: on a server it is sent with the
 * `commit`, and its failure fails the transaction. Elsewhere (a savepoint, the embedded database) it runs now.
 */
export async function beforeCommit(ex: Executor, send: () => Promise<unknown>): Promise<void> {
  const pipe = pipelines.get(ex);
  if (pipe) pipe.atCommit.push(send);
  else await send();
}

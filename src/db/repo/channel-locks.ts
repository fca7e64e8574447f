import { sql } from 'drizzle-orm';
import { preparedRows, type Executor } from '../database.js';

const lock = preparedRows<{ locked: number }, { key: string }>(
  'sopdesk_channel_lock',
  () => sql`
  select 1 as locked from (select pg_advisory_xact_lock(hashtextextended(${sql.placeholder('key')}, 0))) l`,
);

/**
 * Holds, until the transaction ends, the lock of something a channel names before sopdesk may have a row for it (a
 * Shopify order: its first webhooks race to create it). A transaction-level advisory lock on a hash of `key`; every
 * transaction writing that thing takes it first, so they run one after another, and the second finds what the first
 * wrote. Keys of one kind only (see the callers), taken one per transaction, so two never wait on each other in a cycle.
 */
export async function lockChannelKey(tx: Executor, key: string): Promise<void> {
  await lock(tx, { key });
}

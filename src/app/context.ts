import type { Clock } from '../kernel/clock.js';
import type { Database, Tx } from '../db/database.js';
import type { Actor } from '../domain/timeline.js';
import type { ImsPort } from '../domain/purchase-history.js';
import type { ShopifyPort } from '../domain/shopify.js';
import type { WorkBoardConfig, WorkBoardPort } from '../domain/work-board.js';
import type { KoganPort } from '../domain/kogan.js';
import type { ReceiverScreening } from './webhooks/sender.js';

/** What every use case receives: the database and the clock. Wired once in src/cli (composition root). */
export interface AppContext {
  readonly database: Database;
  readonly clock: Clock;
  /** The internal management system (purchase-history sync); absent = the built-in stand-in on `database`. */
  readonly ims?: ImsPort | undefined;
  /** Shopify's Admin API: cancels and refunds of Shopify orders are pushed there; absent = not pushed. */
  readonly shopify?: ShopifyPort | undefined;
  /** Kogan's Marketplace API: dispatches, cancels and refunds of Kogan orders are pushed there; absent = done by hand. */
  readonly kogan?: KoganPort | undefined;
  /** How long an accepted API token is trusted without asking the database again, in ms (default 5000; 0 = never). */
  readonly tokenCacheMs?: number | undefined;
  /** Consecutive failed attempts after which a webhook subscription is disabled (default DEFAULT_DISABLE_AFTER). */
  readonly webhookDisableAfter?: number | undefined;
  /** How webhook receivers' URLs are screened when a subscription is created or changed (default: public only). */
  readonly webhookReceivers?: ReceiverScreening | undefined;
  /** The work board (Monday, SOPDESK_MONDAY_*): marketplace refunds are logged there; absent = a manual step. */
  readonly workBoard?: (WorkBoardConfig & { port: WorkBoardPort }) | undefined;
}

/** Options every write takes besides its own input. */
export interface WriteOptions {
  actor: Actor;
  /** Same key + same input returns the first result; same key + different input is a conflict. */
  idempotencyKey?: string | undefined;
  /**
   * Checked first in the write's own transaction: throws (`notInCharge`) when whoever writes may no longer act — the AI
   * on a conversation a person took. The locks it takes hold until the write commits, so whatever takes the right away
   * (and takes the same lock) commits either before the write, which is then refused, or after it.
   */
  precondition?: ((tx: Tx) => Promise<void>) | undefined;
}

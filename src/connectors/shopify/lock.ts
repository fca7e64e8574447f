/**
 * How a Shopify webhook starts its one transaction: it claims the delivery's webhook id (a second copy of the delivery
 * waits here for the first and gets its answer) and takes the lock of the resource it is about — before anything of
 * that resource is read, so two deliveries about one order (or customer, or product) run one after the other, the
 * second seeing everything the first wrote. Sent together: one round trip on a server.
 */
import { lockChannelKey } from '../../db/repo/channel-locks.js';
import { claimIdempotencyKey } from '../../db/repo/journal.js';
import { together } from '../../db/pipelining.js';
import { settleClaim, type WriteScope } from '../../app/write.js';
import { SHOPIFY } from './map.js';

/** What a sync tells the delivery's answer besides the events it wrote. */
export interface SyncOutcome {
  orderId?: string | undefined;
  customerId?: string | undefined;
  /** Why nothing was applied although the payload was fine: see `ShopifyWebhookResult.skipped`. */
  skipped?: string | undefined;
}

/** The payload's resource is no newer (its own `updated_at`) than the version sopdesk applied: acknowledged, not applied. */
export const STALE = 'stale';

/** Whether a Shopify `updated_at` is later than the one sopdesk holds (none held: yes). */
export const isNewer = (updatedAt: string, held: string | null | undefined): boolean =>
  !held || Date.parse(updatedAt) > Date.parse(held);

/**
 * Claims the delivery's key, takes the lock of Shopify's `kind` `id` for the rest of the transaction, then runs `read`
 * (statements sent at once, e.g. the order's row lock and read), all in one send. A delivery takes exactly one such lock.
 */
export async function lockShopify<T = undefined>(
  scope: WriteScope,
  kind: 'order' | 'customer' | 'product',
  id: string,
  read?: () => Promise<T>,
): Promise<T | undefined> {
  const { tx, pendingClaim } = scope;
  const lockAndRead = () =>
    together(tx, () => lockChannelKey(tx, `${SHOPIFY}:${kind}:${id}`), read ?? (async () => undefined));
  if (!pendingClaim) return (await lockAndRead())[1];
  const [claimed, [, value]] = await together(tx, () => claimIdempotencyKey(tx, pendingClaim), lockAndRead);
  settleClaim(scope, claimed);
  return value;
}

/** Claims the delivery's key for a delivery that locks nothing (it is acknowledged only): a copy of it is a duplicate. */
export async function claimDelivery(scope: WriteScope): Promise<void> {
  if (scope.pendingClaim) settleClaim(scope, await claimIdempotencyKey(scope.tx, scope.pendingClaim));
}

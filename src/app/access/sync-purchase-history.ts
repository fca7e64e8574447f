import { purchaseEntries } from '../../db/repo/purchase-history.js';
import { findCustomerOrders } from '../../db/repo/orders.js';
import { deriveStatus } from '../../domain/order-status.js';
import { notEligible } from '../../kernel/errors.js';
import { ACCESS_POLICY } from '../../domain/access-codes.js';
import type { PurchaseEntry, PurchaseHistoryDiff } from '../../domain/purchase-history.js';
import type { AppContext } from '../context.js';
import { write, type ActionOptions, type ActionResult } from '../write.js';
import { toFacts } from '../orders/order-view.js';
import { isPaidStatus } from './issue-codes.js';
import { imsIdOf, resolveCustomer } from './resolve-customer.js';
import type { SyncPurchaseHistoryInput } from './schemas.js';

export interface SyncPreview {
  customerId: string;
  imsId: string;
  /** What will be sent to the IMS: every item of every paid order that is not canceled, with the units still paid for. */
  entries: PurchaseEntry[];
  summary: string;
}

export interface SyncResult extends PurchaseHistoryDiff {
  customerId: string;
  imsId: string;
  syncedAt: string;
  /** The product-swap procedure step 9's "green box": "Purchase history has changed" or "Purchase history is already up to date". */
  message: string;
}

/**
 * The product-swap procedure steps 8–9: pushes the customer's current purchases (SKU, product, quantity, active codes) to the
 * internal management system and reports what changed since the last sync. The IMS call happens before the
 * timeline transaction; a push is a full replace, so a retry is harmless.
 */
export async function syncPurchaseHistory(
  ctx: AppContext,
  input: SyncPurchaseHistoryInput,
  opts: ActionOptions,
): Promise<ActionResult<SyncPreview, SyncResult>> {
  const { db } = ctx.database;
  const customer = await resolveCustomer(db, input);
  const imsId = imsIdOf(customer);
  if (!imsId)
    throw notEligible(
      'no_ims_id',
      `${customer.name} (${customer.id}) has no IMS id, so there is no IMS record to sync.`,
      ACCESS_POLICY.noImsId,
    );
  // A purchase is what was paid for, as with access codes: an order not paid yet (or only authorized) is none yet.
  const now = ctx.clock.now();
  const paid = new Set(
    (await findCustomerOrders(db, { customerId: customer.id, limit: 1_000_000 }))
      .filter((o) => isPaidStatus(deriveStatus(toFacts(o), now).financialStatus))
      .map((o) => o.id),
  );
  const entries = (await purchaseEntries(db, customer.id)).filter((e) => paid.has(e.orderId));
  const preview: SyncPreview = {
    customerId: customer.id,
    imsId,
    entries,
    summary: `${entries.length} purchased item(s) of ${customer.name} will be sent to the IMS record ${imsId}.`,
  };
  if (opts.dryRun) return { dryRun: true, preview };
  if (!ctx.ims)
    throw notEligible(
      'ims_not_configured',
      'No internal management system is configured for this sopdesk.',
      ACCESS_POLICY.imsNotConfigured,
    );
  const diff = await ctx.ims.pushPurchaseHistory({
    imsId,
    customerId: customer.id,
    email: customer.emails[0]?.email ?? null,
    entries,
  });
  return write(ctx, 'sync_purchase_history', input, opts, async ({ now, record }) => {
    await record({
      type: 'purchase_history.synced',
      customerId: customer.id,
      data: {
        imsId,
        changed: diff.changed,
        added: diff.added.length,
        removed: diff.removed.length,
        updated: diff.updated.length,
        entries: entries.length,
      },
    });
    const result: SyncResult = {
      ...diff,
      customerId: customer.id,
      imsId,
      syncedAt: now.toISOString(),
      message: diff.changed
        ? `Purchase history has changed: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.updated.length} updated.`
        : 'Purchase history is already up to date; nothing changed.',
    };
    return { dryRun: false, preview, result };
  });
}

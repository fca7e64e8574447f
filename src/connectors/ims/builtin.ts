/**
 * The built-in stand-in for the internal management system: keeps the purchase history as last pushed
 * (table ims_purchase_histories) and answers what changed. Used when no SOPDESK_IMS_URL is configured.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { imsPurchaseHistories } from '../../db/schema/index.js';
import type { Clock } from '../../kernel/clock.js';
import { diffPurchaseHistory, type ImsPort, type PurchaseEntry } from '../../domain/purchase-history.js';

export function builtinIms(database: Database, clock: Clock): ImsPort {
  return {
    async pushPurchaseHistory(push) {
      return database.transaction(async (tx) => {
        const at = clock.now().toISOString();
        // Claim the row first so two pushes for one customer run one after the other.
        await tx
          .insert(imsPurchaseHistories)
          .values({ imsId: push.imsId, customerId: push.customerId, entries: sql`'[]'::jsonb`, syncedAt: at })
          .onConflictDoNothing();
        const [prior] = await tx
          .select()
          .from(imsPurchaseHistories)
          .where(eq(imsPurchaseHistories.imsId, push.imsId))
          .for('update');
        const diff = diffPurchaseHistory((prior?.entries ?? []) as PurchaseEntry[], push.entries);
        await tx
          .update(imsPurchaseHistories)
          .set({ customerId: push.customerId, entries: sql`${JSON.stringify(push.entries)}::jsonb`, syncedAt: at })
          .where(eq(imsPurchaseHistories.imsId, push.imsId));
        return diff;
      });
    },
  };
}

import { isStoreEmpty } from '../../db/repo/snapshot.js';
import type { AppContext } from '../context.js';

/** True when the store has no customers, products or orders (tokens and settings do not count). */
export function storeIsEmpty(ctx: AppContext): Promise<boolean> {
  return isStoreEmpty(ctx.database.db);
}

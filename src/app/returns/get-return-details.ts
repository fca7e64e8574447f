import type { AppContext } from '../context.js';
import { loadReturnView } from './return-view.js';
import type { ReturnView } from './schemas.js';

/** get_return_details: a return by its id (ret_…) or tracking id (RT-…), with its status and next steps. */
export async function getReturnDetails(ctx: AppContext, input: { returnId: string }): Promise<ReturnView> {
  return loadReturnView(ctx.database.db, input.returnId, ctx.clock.now());
}

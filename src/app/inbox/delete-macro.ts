import { eq } from 'drizzle-orm';
import { macros } from '../../db/schema/index.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';

export async function deleteMacro(ctx: AppContext, id: string, opts: WriteOptions): Promise<{ id: string }> {
  return write(ctx, 'delete_macro', { id }, opts, async ({ tx }) => {
    const r = await tx.delete(macros).where(eq(macros.id, id)).returning({ id: macros.id });
    if (!r[0]) throw notFound('macro', id);
    return r[0];
  });
}

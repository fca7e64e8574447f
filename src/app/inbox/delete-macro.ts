import { deleteMacroRow } from '../../db/repo/macros.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';

export async function deleteMacro(ctx: AppContext, id: string, opts: WriteOptions): Promise<{ id: string }> {
  return write(ctx, 'delete_macro', { id }, opts, async ({ tx }) => {
    if (!(await deleteMacroRow(tx, id))) throw notFound('macro', id);
    return { id };
  });
}

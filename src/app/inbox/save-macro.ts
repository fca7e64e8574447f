import { eq } from 'drizzle-orm';
import { macros } from '../../db/schema/index.js';
import { translateDbError } from '../../db/errors.js';
import { assertKnownPlaceholders } from '../../domain/templates.js';
import { notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import type { MacroView } from './list-macros.js';
import type { MacroInput } from './schemas.js';

/** Creates a macro, or replaces the one with `id`. Placeholders are checked on save. */
export async function saveMacro(
  ctx: AppContext,
  id: string | undefined,
  input: MacroInput,
  opts: WriteOptions,
): Promise<MacroView> {
  assertKnownPlaceholders('body', input.body);
  return write(ctx, 'save_macro', { id, ...input }, opts, async ({ tx, now }) => {
    const at = now.toISOString();
    try {
      if (id) {
        const r = await tx
          .update(macros)
          .set({ name: input.name, body: input.body, updatedAt: at })
          .where(eq(macros.id, id))
          .returning();
        if (!r[0]) throw notFound('macro', id);
        return { ...r[0], createdAt: new Date(r[0].createdAt).toISOString(), updatedAt: at };
      }
      const newIdValue = newId('macro', now.getTime());
      await tx
        .insert(macros)
        .values({ id: newIdValue, name: input.name, body: input.body, createdAt: at, updatedAt: at });
      return { id: newIdValue, name: input.name, body: input.body, createdAt: at, updatedAt: at };
    } catch (e) {
      translateDbError(e, `macro "${input.name}"`);
    }
  });
}

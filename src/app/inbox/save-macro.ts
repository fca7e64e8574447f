import { insertMacro, updateMacro } from '../../db/repo/macros.js';
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
        const m = await updateMacro(tx, id, { name: input.name, body: input.body, updatedAt: at });
        if (!m) throw notFound('macro', id);
        return { ...m, createdAt: new Date(m.createdAt).toISOString(), updatedAt: at };
      }
      const made = {
        id: newId('macro', now.getTime()),
        name: input.name,
        body: input.body,
        createdAt: at,
        updatedAt: at,
      };
      await insertMacro(tx, made);
      return made;
    } catch (e) {
      translateDbError(e, `macro "${input.name}"`);
    }
  });
}

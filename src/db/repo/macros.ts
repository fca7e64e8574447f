import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../database.js';
import { macros, messageTemplates } from '../schema/index.js';

export type MacroRow = typeof macros.$inferSelect;
export type TemplateRow = typeof messageTemplates.$inferSelect;

export async function listMacroRows(ex: Executor): Promise<MacroRow[]> {
  return ex.select().from(macros).orderBy(asc(macros.name));
}

export async function findMacro(ex: Executor, id: string): Promise<MacroRow | undefined> {
  const [m] = await ex.select().from(macros).where(eq(macros.id, id));
  return m;
}

export async function insertMacro(ex: Executor, row: MacroRow): Promise<void> {
  await ex.insert(macros).values(row);
}

/** Changes a macro's name and body; undefined when there is no such macro. */
export async function updateMacro(
  ex: Executor,
  id: string,
  set: Pick<MacroRow, 'name' | 'body' | 'updatedAt'>,
): Promise<MacroRow | undefined> {
  const [m] = await ex.update(macros).set(set).where(eq(macros.id, id)).returning();
  return m;
}

/** Deletes a macro; false when there was none. */
export async function deleteMacroRow(ex: Executor, id: string): Promise<boolean> {
  const r = await ex.delete(macros).where(eq(macros.id, id)).returning({ id: macros.id });
  return r.length > 0;
}

/** The edited confirmation templates (a key without a row uses the built-in wording). */
export async function listTemplateRows(ex: Executor): Promise<TemplateRow[]> {
  return ex.select().from(messageTemplates);
}

export async function upsertTemplate(ex: Executor, row: TemplateRow): Promise<void> {
  const { key: _key, ...set } = row;
  await ex.insert(messageTemplates).values(row).onConflictDoUpdate({ target: messageTemplates.key, set });
}

export async function deleteTemplate(ex: Executor, key: string): Promise<void> {
  await ex.delete(messageTemplates).where(eq(messageTemplates.key, key));
}

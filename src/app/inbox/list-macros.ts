import { listMacroRows } from '../../db/repo/macros.js';
import type { AppContext } from '../context.js';

export interface MacroView {
  id: string;
  name: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export async function listMacros(ctx: AppContext): Promise<MacroView[]> {
  const r = await listMacroRows(ctx.database.db);
  return r.map((m) => ({
    ...m,
    createdAt: new Date(m.createdAt).toISOString(),
    updatedAt: new Date(m.updatedAt).toISOString(),
  }));
}

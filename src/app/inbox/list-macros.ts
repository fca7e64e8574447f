import { asc } from 'drizzle-orm';
import { macros } from '../../db/schema/index.js';
import type { AppContext } from '../context.js';

export interface MacroView {
  id: string;
  name: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export async function listMacros(ctx: AppContext): Promise<MacroView[]> {
  const r = await ctx.database.db.select().from(macros).orderBy(asc(macros.name));
  return r.map((m) => ({
    ...m,
    createdAt: new Date(m.createdAt).toISOString(),
    updatedAt: new Date(m.updatedAt).toISOString(),
  }));
}

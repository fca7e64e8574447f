import { listTemplateRows } from '../../db/repo/macros.js';
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, type TemplateKey, type TemplateText } from '../../domain/templates.js';
import type { AppContext } from '../context.js';

export interface TemplateView extends TemplateText {
  key: TemplateKey;
  /** False while the built-in wording is used. */
  customized: boolean;
  updatedAt: string | null;
}

export async function listTemplates(ctx: AppContext): Promise<TemplateView[]> {
  const saved = new Map((await listTemplateRows(ctx.database.db)).map((t) => [t.key, t]));
  return TEMPLATE_KEYS.map((key) => {
    const s = saved.get(key);
    return s
      ? { key, subject: s.subject, body: s.body, customized: true, updatedAt: new Date(s.updatedAt).toISOString() }
      : { key, ...DEFAULT_TEMPLATES[key], customized: false, updatedAt: null };
  });
}

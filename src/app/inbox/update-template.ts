import { deleteTemplate, upsertTemplate } from '../../db/repo/macros.js';
import { assertKnownPlaceholders, DEFAULT_TEMPLATES, isTemplateKey } from '../../domain/templates.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import type { TemplateView } from './list-templates.js';

/** Edits a confirmation template; `reset` goes back to the built-in wording. */
export async function updateTemplate(
  ctx: AppContext,
  key: string,
  input: { subject: string; body: string } | 'reset',
  opts: WriteOptions,
): Promise<TemplateView> {
  if (!isTemplateKey(key)) throw notFound('template', key);
  if (input !== 'reset') {
    assertKnownPlaceholders('subject', input.subject);
    assertKnownPlaceholders('body', input.body);
  }
  return write(ctx, 'update_template', { key, input }, opts, async ({ tx, now }) => {
    if (input === 'reset') {
      await deleteTemplate(tx, key);
      return { key, ...DEFAULT_TEMPLATES[key], customized: false, updatedAt: null };
    }
    const at = now.toISOString();
    await upsertTemplate(tx, { key, subject: input.subject, body: input.body, updatedAt: at });
    return { key, subject: input.subject, body: input.body, customized: true, updatedAt: at };
  });
}

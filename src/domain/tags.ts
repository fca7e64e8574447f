/**
 * Tags as a channel sends them — Shopify's comma-separated `tags` string, or a list — in the form the team's own tags
 * take (`PUT /v1/customers/{id}/notes`): trimmed, lower-cased, only letters, digits, spaces and `- _ : .` (anything
 * else dropped), starting with a letter or digit, each once, at most 30 of at most 64 characters. So a tag imported
 * from Shopify can always be saved back unchanged with the note.
 */
export const MAX_TAGS = 30;
const MAX_TAG_LENGTH = 64;

export function normalizeTags(value: string | readonly string[]): string[] {
  const raw = typeof value === 'string' ? value.split(',') : value.flatMap((t) => t.split(','));
  const out: string[] = [];
  for (const r of raw) {
    const tag = r
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _:.-]+/gu, '')
      .replace(/\s+/g, ' ')
      .replace(/^[^\p{L}\p{N}]+/u, '')
      .slice(0, MAX_TAG_LENGTH)
      .trim();
    if (tag && !out.includes(tag)) out.push(tag);
    if (out.length === MAX_TAGS) break;
  }
  return out;
}

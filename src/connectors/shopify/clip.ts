/**
 * Shopify's texts cut to sopdesk's limits. sopdesk bounds every text field (`TEXT_LIMITS`, src/kernel/limits.ts, through
 * `boundedText` in the ingest schemas) and refuses longer ones from its own clients; a Shopify delivery is not refused
 * for them: the customer's order happened, and Shopify would retry the same body until it deleted the subscription. So
 * before a mapped record is held to its ingest schema, each text longer than the schema's maximum is cut to it. Not
 * cut: a text with a format (an email, a URL), which a cut would make wrong rather than short.
 */
import type { z } from 'zod';
import { parsed } from '../../app/validate.js';

type Def = {
  type: string;
  format?: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  checks?: { _zod: { def: { check: string; maximum?: number } } }[];
};

/** The most characters a string schema allows, if it says. */
const maxLength = (def: Def): number | undefined =>
  def.checks
    ?.map((c) => c._zod.def)
    .filter((c) => c.check === 'max_length' && typeof c.maximum === 'number')
    .reduce<number | undefined>((m, c) => Math.min(m ?? Infinity, c.maximum!), undefined);

/** `text` cut to `max` UTF-16 units, never between the two halves of a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `value` with every text longer than what `schema` allows at its place cut to that length. */
export function clipTexts(schema: z.ZodType, value: unknown): unknown {
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case 'string': {
      const max = maxLength(def);
      return typeof value === 'string' && typeof max === 'number' && !def.format ? cutText(value, max) : value;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
      return clipTexts(def.innerType!, value);
    case 'pipe':
      return clipTexts(def.in!, value);
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [k, s] of Object.entries(def.shape!)) if (out[k] !== undefined) out[k] = clipTexts(s, out[k]);
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => clipTexts(def.element!, v)) : value;
    case 'record': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipTexts(def.valueType!, v)]));
    }
    default:
      return value;
  }
}

/** `parsed` for a record mapped from Shopify: its texts cut to the schema's limits first (`clipTexts`). */
export function parsedFromShopify<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return parsed(schema, clipTexts(schema, value));
}

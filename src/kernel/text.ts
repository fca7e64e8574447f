/**
 * Text PostgreSQL can store: no NUL character (text and jsonb cannot hold one), and well-formed UTF-16 (a lone
 * surrogate is no character; jsonb refuses it and a text column would silently store U+FFFD instead).
 */
import { invalid } from './errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storable(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

/** The path (`items.0.note`) of the first string or key in a JSON value that cannot be stored, or undefined. */
export function unstorableTextPath(value: unknown, path = ''): string | undefined {
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (typeof value === 'string') return storable(value) ? undefined : path || '(value)';
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const bad = unstorableTextPath(v, at(i));
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!storable(k)) return at(k);
      const bad = unstorableTextPath(v, at(k));
      if (bad !== undefined) return bad;
    }
  }
  return undefined;
}

/** Refuses a request value holding text that cannot be stored: a 400 naming the field. */
export function assertStorableText(value: unknown, root: string): void {
  const bad = unstorableTextPath(value);
  if (bad !== undefined) {
    throw invalid(bad === '(value)' ? root : bad, 'may not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates', { reason: 'unstorable_text' });
  }
}

/**
 * At most `max` UTF-16 units of `s`, cut between characters: when the cut would fall inside a surrogate pair (an
 * emoji, say), the whole pair is dropped, so the result never ends in half a character (which jsonb refuses).
 */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** `s` shortened to at most `max` UTF-16 units, ending in `…` when it was cut (never inside a character). */
export function excerptText(s: string, max: number): string {
  return s.length > max ? truncateText(s, max - 1) + '…' : s;
}

/**
 * Text PostgreSQL can store: no NUL character (text and jsonb cannot hold one), and well-formed UTF-16 (a lone
 * surrogate is no character; jsonb refuses it and a text column would silently store U+FFFD instead).
 */
import { invalid } from './errors.js';
import { LOGGED_VALUE_CHARS, MAX_JSON_DEPTH, TEXT_LIMITS } from './limits.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storable(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

/** What is wrong with a JSON value a client sent, and where (`items.0.note`; `(value)` for the value itself). */
export interface JsonIssue {
  path: string;
  reason: 'unstorable_text' | 'too_deep' | 'text_too_long' | 'key_too_long';
  message: string;
}

export interface JsonLimits {
  /** Deepest nesting of objects and arrays; default MAX_JSON_DEPTH. */
  maxDepth?: number;
  /** Longest string, in UTF-16 units; default TEXT_LIMITS.any. */
  maxText?: number;
  /** Longest key of an object; default TEXT_LIMITS.code. */
  maxKey?: number;
}

const keyPath = (path: string, key: string | number) => {
  const k = typeof key === 'string' && key.length > TEXT_LIMITS.code ? excerptText(key, 40) : String(key);
  return path ? `${path}.${k}` : k;
};

/**
 * The first thing in a JSON value that sopdesk will not take, in document order: text PostgreSQL cannot store,
 * nesting deeper than `maxDepth`, a string longer than `maxText` or a key longer than TEXT_LIMITS.code. Walks with
 * its own stack, not by recursion: a body nested ten thousand deep is refused, not a stack overflow.
 */
export function jsonIssue(value: unknown, limits: JsonLimits = {}): JsonIssue | undefined {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const maxText = limits.maxText ?? TEXT_LIMITS.any;
  const maxKey = limits.maxKey ?? TEXT_LIMITS.code;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { value: v, path, depth } = top;
    if (v === KEY_UNSTORABLE) return { path, reason: 'unstorable_text', message: UNSTORABLE };
    if (v === KEY_TOO_LONG)
      return { path, reason: 'key_too_long', message: `is a key longer than ${maxKey} characters` };
    if (typeof v === 'string') {
      if (!storable(v)) return { path: path || '(value)', reason: 'unstorable_text', message: UNSTORABLE };
      if (v.length > maxText)
        return {
          path: path || '(value)',
          reason: 'text_too_long',
          message: `is ${v.length} characters long; at most ${maxText} are accepted`,
        };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > maxDepth)
      return {
        path: path || '(value)',
        reason: 'too_deep',
        message: `nests objects and arrays deeper than ${maxDepth} levels`,
      };
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    // Pushed last-first, so the first entry is looked at first and the first issue in the document is the one named.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      stack.push({ value: child, path: keyPath(path, k), depth: depth + 1 });
      if (typeof k === 'string' && !storable(k))
        stack.push({ value: KEY_UNSTORABLE, path: keyPath(path, k), depth: depth + 1 });
      else if (typeof k === 'string' && k.length > maxKey)
        stack.push({ value: KEY_TOO_LONG, path: keyPath(path, k), depth: depth + 1 });
    }
  }
  return undefined;
}

const UNSTORABLE = 'may not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates';
// Markers for a bad key, met in document order just before the key's value.
const KEY_UNSTORABLE = Symbol('unstorable key');
const KEY_TOO_LONG = Symbol('key too long');

/** The path (`items.0.note`) of the first string or key in a JSON value that cannot be stored, or undefined. */
export function unstorableTextPath(value: unknown): string | undefined {
  const issue = jsonIssue(value, { maxDepth: Infinity, maxText: Infinity, maxKey: Infinity });
  return issue?.reason === 'unstorable_text' ? issue.path : undefined;
}

/**
 * Refuses a JSON value a client sent that sopdesk will not take (`jsonIssue`): a 400 naming the field and the rule
 * (`reason`: unstorable_text, too_deep, text_too_long, key_too_long). `root` names the value itself.
 */
export function assertAcceptableJson(value: unknown, root: string, limits: JsonLimits = {}): void {
  const issue = jsonIssue(value, limits);
  if (issue !== undefined)
    throw invalid(issue.path === '(value)' ? root : issue.path, issue.message, { reason: issue.reason });
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

/**
 * An unexpected error as one log entry: each message (and that of each cause, three deep) cut to LOGGED_VALUE_CHARS,
 * and the stack's frames. A failed query's message carries its parameters, that is what a client sent; a log line
 * must not carry a megabyte of it.
 */
export function faultForLog(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e !== undefined && e !== null; depth++) {
    if (!(e instanceof Error)) {
      parts.push(excerptText(String(e), LOGGED_VALUE_CHARS));
      break;
    }
    const frames = (e.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 15);
    parts.push(
      [`${depth ? 'caused by ' : ''}${e.name}: ${excerptText(e.message, LOGGED_VALUE_CHARS)}`, ...frames].join('\n'),
    );
    e = e.cause;
  }
  return parts.join('\n');
}

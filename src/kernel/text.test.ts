import { describe, expect, it } from 'vitest';
import { assertAcceptableJson, excerptText, jsonIssue, truncateText, unstorableTextPath } from './text.js';
import { MAX_JSON_DEPTH, TEXT_LIMITS } from './limits.js';

describe('storable text', () => {
  it('names the first string or key with a NUL or an unpaired surrogate', () => {
    expect(unstorableTextPath({ a: 'fine', b: ['ok', { note: 'a\u0000b' }] })).toBe('b.1.note');
    expect(unstorableTextPath({ answer: 'a\ud800b' })).toBe('answer');
    expect(unstorableTextPath({ answer: 'x\udfff' })).toBe('answer');
    expect(unstorableTextPath({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(unstorableTextPath('\u0000')).toBe('(value)');
  });

  it('passes well-formed text, emoji (surrogate pairs) and non-strings', () => {
    expect(
      unstorableTextPath({ a: 'Grüße 😀', b: [1, true, null], c: { d: '\\u0000 as typed text' } }),
    ).toBeUndefined();
  });
});

describe('what a client may send', () => {
  const nested = (depth: number, leaf: unknown = 1): unknown => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it('a value nested far deeper than the call stack allows is refused as too deep, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(jsonIssue(deep)).toMatchObject({ reason: 'too_deep', path: Array(MAX_JSON_DEPTH).fill('0').join('.') });
    expect(unstorableTextPath(nested(10_000, 'a\u0000'))).toBeDefined();
    expect(() => assertAcceptableJson(deep, '(body)')).toThrowError(
      expect.objectContaining({ code: 'invalid_argument', details: expect.objectContaining({ reason: 'too_deep' }) }),
    );
  });

  it(`takes nesting up to MAX_JSON_DEPTH (${MAX_JSON_DEPTH}) and refuses one level more`, () => {
    expect(jsonIssue(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonIssue(nested(MAX_JSON_DEPTH + 1))?.reason).toBe('too_deep');
  });

  it('names the first string longer than the limit, and a key longer than a code, without echoing either whole', () => {
    const long = 'x'.repeat(TEXT_LIMITS.any + 1);
    expect(jsonIssue({ ok: 'x'.repeat(TEXT_LIMITS.any), items: [{ note: long }] })).toMatchObject({
      path: 'items.0.note',
      reason: 'text_too_long',
    });
    const issue = jsonIssue({ ['k'.repeat(TEXT_LIMITS.code + 1)]: 1 });
    expect(issue?.reason).toBe('key_too_long');
    expect(issue!.path.length).toBeLessThan(50);
  });

  it('names issues in document order: the earlier field, however deep, before a later one', () => {
    expect(jsonIssue({ a: [{ b: 'x\u0000' }], ['c\u0000']: 1 })?.path).toBe('a.0.b');
    expect(jsonIssue({ ['c\u0000']: 1, a: [{ b: 'x\u0000' }] })?.path).toBe('c\u0000');
  });
});

describe('cutting text', () => {
  it('never cuts an emoji (a surrogate pair) in half', () => {
    const s = 'ab😀cd';
    expect(truncateText(s, 3)).toBe('ab');
    expect(truncateText(s, 4)).toBe('ab😀');
    expect(truncateText(s, 10)).toBe(s);
    expect(unstorableTextPath(truncateText(s, 3))).toBeUndefined();
  });

  it('an excerpt ends in … only when cut, and stays within its length', () => {
    expect(excerptText('short', 140)).toBe('short');
    const body = 'a'.repeat(138) + '😀 and more';
    const e = excerptText(body, 140);
    expect(e).toBe('a'.repeat(138) + '…');
    expect(e.length).toBeLessThanOrEqual(140);
    expect(excerptText('a'.repeat(137) + '😀 more', 140)).toBe('a'.repeat(137) + '😀…');
  });
});

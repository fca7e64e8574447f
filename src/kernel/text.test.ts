import { describe, expect, it } from 'vitest';
import { excerptText, truncateText, unstorableTextPath } from './text.js';

describe('storable text', () => {
  it('names the first string or key with a NUL or an unpaired surrogate', () => {
    expect(unstorableTextPath({ a: 'fine', b: ['ok', { note: 'a\u0000b' }] })).toBe('b.1.note');
    expect(unstorableTextPath({ answer: 'a\ud800b' })).toBe('answer');
    expect(unstorableTextPath({ answer: 'x\udfff' })).toBe('answer');
    expect(unstorableTextPath({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(unstorableTextPath('\u0000')).toBe('(value)');
  });

  it('passes well-formed text, emoji (surrogate pairs) and non-strings', () => {
    expect(unstorableTextPath({ a: 'Grüße 😀', b: [1, true, null], c: { d: '\\u0000 as typed text' } })).toBeUndefined();
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

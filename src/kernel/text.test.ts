import { describe, expect, it } from 'vitest';
import { unstorableTextPath } from './text.js';

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

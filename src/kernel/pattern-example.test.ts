import { describe, expect, it } from 'vitest';
import { exampleOf } from './pattern-example.js';

describe('an example of what a pattern asks for', () => {
  it('turns the evidence patterns of the procedures into values a person recognises', () => {
    expect(exampleOf('^ESG-\\d+$')).toBe('ESG-58231467');
    expect(exampleOf('^#?\\d+$')).toBe('#58231467');
    expect(exampleOf('BK-\\d{4}')).toBe('BK-5823');
    expect(exampleOf('^[A-Z]{3}-\\d{2,}$')).toBe('ABC-58231467');
    expect(exampleOf('^(TKT|INC)-[0-9]{5}$')).toBe('TKT-58231');
    expect(exampleOf('^\\d+(\\.\\d{2})?$')).toBe('58231467.58');
  });

  it('gives nothing for what it cannot honestly show, and never an example the pattern refuses', () => {
    expect(exampleOf('^(a)\\1$')).toBeUndefined();
    expect(exampleOf('^(?=x)y$')).toBeUndefined();
    expect(exampleOf('[')).toBeUndefined();
  });
});

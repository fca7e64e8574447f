import { describe, expect, it } from 'vitest';
import { derivedId, isWellFormedId } from './ids.js';

describe('derivedId', () => {
  const t = Date.parse('2026-11-20T10:00:00Z');

  it('gives the same record of another system the same well-formed id every time', () => {
    const a = derivedId('package', t, 'shopify:fulfillment:255858046');
    expect(a).toBe(derivedId('package', t, 'shopify:fulfillment:255858046'));
    expect(isWellFormedId(a, 'package')).toBe(true);
  });

  it('tells records apart by key, and sorts by the time it is given', () => {
    expect(derivedId('line', t, 'shopify:line_item:1')).not.toBe(derivedId('line', t, 'shopify:line_item:2'));
    expect(derivedId('line', t, 'shopify:line_item:9') < derivedId('line', t + 1000, 'shopify:line_item:1')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { lineTitle } from './catalog.js';

describe('line titles', () => {
  it('name the product and the variant', () => {
    expect(lineTitle('Merino Crew T-shirt', 'Black / M')).toBe('Merino Crew T-shirt — Black / M');
  });

  it("name the product alone when the variant adds nothing: its title already says it, or Shopify's Default Title", () => {
    expect(lineTitle('SleepCues BoardReview 2.0', '2.0')).toBe('SleepCues BoardReview 2.0');
    expect(lineTitle('Desk lamp', 'Default Title')).toBe('Desk lamp');
    expect(lineTitle('Desk lamp', ' ')).toBe('Desk lamp');
  });
});

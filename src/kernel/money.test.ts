import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, exponentOf, formatMoney, parseDecimal, sumMinor, toDecimal } from './money.js';
import { ISO_4217_MINOR_UNITS } from './iso-4217.js';

describe('allocate', () => {
  const weights = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 12 });
  const total = fc.integer({ min: 0, max: 10_000_000 });

  it('splits into integer parts that add up to exactly the total', () => {
    fc.assert(
      fc.property(
        total,
        weights.filter((w) => w.some((x) => x > 0)),
        (t, w) => {
          const parts = allocate(t, w);
          expect(parts).toHaveLength(w.length);
          expect(parts.every(Number.isSafeInteger)).toBe(true);
          expect(sumMinor(parts)).toBe(t);
        },
      ),
    );
  });

  it('gives each part within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(
        total,
        weights.filter((w) => w.some((x) => x > 0)),
        (t, w) => {
          const W = sumMinor(w);
          allocate(t, w).forEach((p, i) => {
            // |p − t·wᵢ/W| < 1, compared in integers: |p·W − t·wᵢ| < W.
            expect(Math.abs(p * W - t * w[i]!)).toBeLessThan(W);
          });
        },
      ),
    );
  });

  it('gives nothing to a zero weight, and all zeros when every weight is zero', () => {
    expect(allocate(100, [1, 0, 1])).toEqual([50, 0, 50]);
    expect(allocate(100, [0, 0])).toEqual([0, 0]);
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it('stays exact when total × weight passes 2^53', () => {
    // 10^10 × 10^9 is far beyond what a float holds exactly.
    expect(allocate(10_000_000_001, [999_999_999, 1_000_000_001])).toEqual([4_999_999_995, 5_000_000_006]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.array(fc.integer({ min: 1, max: 2 ** 40 }), { minLength: 1, maxLength: 6 }),
        (t, w) => {
          expect(sumMinor(allocate(t, w))).toBe(t);
        },
      ),
    );
  });
});

describe('parseDecimal and formatMoney', () => {
  it('parses decimal text into minor units without floating point', () => {
    expect(parseDecimal('500.00', 'USD')).toBe(50000);
    expect(parseDecimal('0.1', 'USD')).toBe(10);
    expect(parseDecimal('-12.5', 'AUD')).toBe(-1250);
    expect(parseDecimal('300', 'JPY')).toBe(300);
    expect(parseDecimal('1.005', 'BHD')).toBe(1005);
  });

  it('refuses text that is not an amount, or has more decimals than the currency', () => {
    expect(() => parseDecimal('abc', 'USD')).toThrow(RangeError);
    expect(() => parseDecimal('1.234', 'USD')).toThrow(RangeError);
    expect(() => parseDecimal('1.5', 'JPY')).toThrow(RangeError);
    expect(() => parseDecimal('1e3', 'USD')).toThrow(RangeError);
  });

  it("accepts zeros past the currency's decimals (they change nothing) and refuses amounts past 2^53 minor units", () => {
    expect(parseDecimal('1.230', 'USD')).toBe(123);
    expect(parseDecimal('300.00', 'JPY')).toBe(300);
    expect(parseDecimal('0.5000', 'KWD')).toBe(500);
    expect(parseDecimal('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseDecimal('90071992547409.92', 'USD')).toThrow(RangeError);
  });

  it('formats for people', () => {
    expect(formatMoney(50000, 'USD')).toBe('$500.00');
    expect(formatMoney(123456789, 'AUD')).toBe('A$1,234,567.89');
    expect(formatMoney(-5, 'EUR')).toBe('-€0.05');
    expect(formatMoney(300, 'JPY')).toBe('¥300');
    expect(formatMoney(1005, 'CHF')).toBe('CHF 10.05');
  });

  it('formats any amount so that its digits parse back to the same minor units', () => {
    const currencies = fc.constantFrom('USD', 'AUD', 'EUR', 'JPY', 'BHD', 'CHF');
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), currencies, (amount, currency) => {
        const text = formatMoney(amount, currency).replace(/[^\d.-]/g, '');
        expect(parseDecimal(text, currency)).toBe(amount);
        const decimals = text.split('.')[1]?.length ?? 0;
        expect(decimals).toBe(exponentOf(currency));
      }),
    );
  });

  it('writes minor units as the decimal string payment APIs take, by integer arithmetic, and parses back exactly', () => {
    expect(toDecimal(4000, 'AUD')).toBe('40.00');
    expect(toDecimal(5, 'USD')).toBe('0.05');
    expect(toDecimal(300, 'JPY')).toBe('300');
    expect(toDecimal(1005, 'BHD')).toBe('1.005');
    expect(toDecimal(-1250, 'EUR')).toBe('-12.50');
    expect(() => toDecimal(0.1, 'USD')).toThrow(RangeError);
    const currencies = fc.constantFrom('USD', 'AUD', 'JPY', 'BHD');
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), currencies, (amount, currency) => {
        expect(parseDecimal(toDecimal(amount, currency), currency)).toBe(amount);
      }),
    );
  });
});

describe('exponents from ISO 4217', () => {
  it('reads each currency with the minor units ISO gives it: zero-decimal CLP, ISK, JPY; three-decimal KWD, BHD', () => {
    expect(['CLP', 'ISK', 'JPY', 'USD', 'KWD', 'BHD', 'CLF'].map(exponentOf)).toEqual([0, 0, 0, 2, 3, 3, 4]);
    expect(parseDecimal('15990', 'CLP')).toBe(15990);
    expect(() => parseDecimal('15990.50', 'CLP')).toThrow(RangeError);
    expect(parseDecimal('4990', 'ISK')).toBe(4990);
    expect(toDecimal(4990, 'ISK')).toBe('4990');
    expect(parseDecimal('12.345', 'KWD')).toBe(12345);
    expect(toDecimal(12345, 'BHD')).toBe('12.345');
    expect(formatMoney(15990, 'CLP')).toBe('CLP 15,990');
  });

  it('holds the whole active list, each code with 0, 2, 3 or 4 decimals (or none, for metals and funds)', () => {
    const codes = Object.keys(ISO_4217_MINOR_UNITS);
    expect(codes.length).toBeGreaterThanOrEqual(170);
    expect(codes.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
    expect(new Set(Object.values(ISO_4217_MINOR_UNITS))).toEqual(new Set([0, 2, 3, 4, null]));
    expect(
      Object.entries(ISO_4217_MINOR_UNITS)
        .filter(([, m]) => m === 0)
        .map(([c]) => c)
        .sort(),
    ).toEqual([
      'BIF',
      'CLP',
      'DJF',
      'GNF',
      'ISK',
      'JPY',
      'KMF',
      'KRW',
      'PYG',
      'RWF',
      'UGX',
      'UYI',
      'VND',
      'VUV',
      'XAF',
      'XOF',
      'XPF',
    ]);
  });
});

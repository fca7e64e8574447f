import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { assertSwapAllowed, codePrefix, formatAccessCode } from './access-codes.js';
import type { DomainError } from '../kernel/errors.js';

describe('access codes', () => {
  it('are readable: a prefix from the SKU and three groups of four unambiguous symbols', () => {
    expect(codePrefix('SQBR-3.0')).toBe('SQBR3');
    expect(codePrefix('---')).toBe('CODE');
    expect(formatAccessCode('SQBR-3.0', new Uint8Array(12))).toBe('SQBR3-0000-0000-0000');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 12, maxLength: 12 }), (bytes) => {
        expect(formatAccessCode('SQBR-3.0', bytes)).toMatch(/^SQBR3(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      }),
    );
  });

  it('differ from one CSPRNG draw to the next', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => formatAccessCode('X', randomBytes(12))));
    expect(codes.size).toBe(1000);
  });
});

describe('product swap rule (product-swap procedure, step 5)', () => {
  const line = { sku: 'SQBR-2.0', productId: 'prod_a', productKind: 'digital_access', unitPrice: 50000 };
  const target = {
    sku: 'SQBR-3.0',
    productId: 'prod_b',
    productTitle: 'BoardReview 3.0',
    kind: 'digital_access',
    price: 50000,
    currency: 'USD',
  };
  const reason = (f: () => void) => {
    try {
      f();
      return undefined;
    } catch (e) {
      return (e as DomainError).details.reason;
    }
  };

  it('allows exactly equal prices of a different product, in the same currency and kind', () => {
    expect(reason(() => assertSwapAllowed(line, target, 'USD'))).toBeUndefined();
    expect(reason(() => assertSwapAllowed(line, { ...target, price: 50001 }, 'USD'))).toBe('price_mismatch');
    expect(reason(() => assertSwapAllowed(line, { ...target, currency: 'AUD' }, 'USD'))).toBe('currency_mismatch');
    expect(reason(() => assertSwapAllowed(line, { ...target, productId: 'prod_a' }, 'USD'))).toBe('same_product');
    expect(reason(() => assertSwapAllowed(line, { ...target, kind: 'physical' }, 'USD'))).toBe('product_kind_mismatch');
  });
});

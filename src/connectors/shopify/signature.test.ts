import { describe, expect, it } from 'vitest';
import { isShopifySignature } from './signature.js';

const body = new TextEncoder().encode('{"id":820982911946154508}');
// Computed independently (Python: base64(hmac.new(b'hush', body, sha256).digest())).
const SIGNED = 'qBvrsZF7RfB1iS6BX6IHqJTp5L911P7intnPeTPsH0I=';

describe('Shopify webhook signature', () => {
  it('accepts base64(HMAC-SHA256(raw body, secret))', () => {
    expect(isShopifySignature(body, SIGNED, 'hush')).toBe(true);
  });

  it('refuses a missing signature, another secret, another body, or a signature with anything added', () => {
    expect(isShopifySignature(body, undefined, 'hush')).toBe(false);
    expect(isShopifySignature(body, '', 'hush')).toBe(false);
    expect(isShopifySignature(body, SIGNED, 'other')).toBe(false);
    expect(isShopifySignature(new TextEncoder().encode('{"id": 820982911946154508}'), SIGNED, 'hush')).toBe(false);
    expect(isShopifySignature(body, `${SIGNED}!!`, 'hush')).toBe(false);
    expect(isShopifySignature(body, Buffer.from(SIGNED, 'base64').toString('hex'), 'hush')).toBe(false);
  });
});

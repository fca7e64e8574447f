/**
 * Shopify signs every webhook: `X-Shopify-Hmac-Sha256` is base64(HMAC-SHA256(raw body bytes, secret)). It must be
 * computed over the bytes as received — a body parsed and serialised again may differ in spacing or escapes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `header` is the signature of `rawBody` under `secret`; compared in constant time. */
export function isShopifySignature(rawBody: Uint8Array, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  // Compared as the base64 text Shopify sends: decoding the header first would accept variants of it (Node's base64
  // decoder skips characters it does not know). Lengths are not secret; timingSafeEqual needs them equal.
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('base64'));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

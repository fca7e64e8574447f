/**
 * Identity verification of the chat widget, the convention of Intercom and Chatwoot: a store that knows its
 * logged-in customer renders the widget with the customer's id (or email) and hex(HMAC-SHA256(secret, that value)),
 * computed on its server with a secret only it and sopdesk hold (SOPDESK_WIDGET_SECRET). Nobody else can make the
 * hash, so a visitor cannot claim to be someone else.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../kernel/errors.js';
import type { VisitorIdentity } from './schemas.js';

/** What the store signs: the customer id when it gives one, else the email (as given, not lower-cased). */
export const signedValue = (identity: Pick<VisitorIdentity, 'email' | 'customerId'>): string =>
  identity.customerId ?? identity.email ?? '';

/** Checks the store's hash in constant time; a forged or stale one is `identity_hash_invalid`. */
export function assertIdentity(identity: VisitorIdentity, secret: string | undefined): void {
  if (!secret)
    throw new DomainError(
      'forbidden',
      'This desk does not verify chat visitors: set SOPDESK_WIDGET_SECRET, or leave the identity out.',
      { reason: 'identity_verification_off' },
    );
  const expected = Buffer.from(createHmac('sha256', secret).update(signedValue(identity)).digest('hex'));
  const given = Buffer.from(identity.hash.trim().toLowerCase());
  // Lengths are not secret; timingSafeEqual needs them equal.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new DomainError(
      'unauthorized',
      'The identity hash does not match: the store must sign the customer id (or email) with SOPDESK_WIDGET_SECRET.',
      { reason: 'identity_hash_invalid', fields: [{ path: 'identity.hash', message: 'does not match' }] },
    );
}

/** A new visitor token: 256 random bits. Only its hash is stored. */
export const newVisitorToken = (): string => `vt_${randomBytes(32).toString('base64url')}`;
export const visitorTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Screens a webhook receiver's URL against server-side request forgery (src/domain/webhook-url.ts): http(s) only, no
 * credentials, and every address its host resolves to outside the server's own network — unless private addresses
 * are allowed (SOPDESK_WEBHOOK_ALLOW_PRIVATE). Used when a subscription is created or changed, and by the sender at
 * every delivery, whose connection goes to the address checked then (DNS can change in between).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BLOCKED_ADDRESS_TEXT, blockedAddressKind, isIpLiteral, WEBHOOK_URL_POLICY } from '../../domain/webhook-url.js';
import { invalid } from '../../kernel/errors.js';
import type { HostLookup, ReceiverScreening, ResolvedAddress } from '../../app/webhooks/sender.js';

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const refuse = (reason: string, message: string, extra: Record<string, unknown> = {}) =>
  invalid('url', message, { reason, policy: WEBHOOK_URL_POLICY, ...extra });

/** The URL's scheme and credentials: throws invalid_argument on `url` with a stable reason. */
function parseReceiverUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('webhook_url_malformed', 'not a URL; give an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refuse('webhook_url_scheme', `the scheme ${url.protocol} is not allowed; give an http:// or https:// URL`);
  if (url.username || url.password)
    throw refuse('webhook_url_credentials', 'a webhook URL carries no user or password; the signature authenticates');
  return url;
}

/** Throws when `address` is of the server's own network and private addresses are not allowed. */
export function checkAddress(host: string, address: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const kind = blockedAddressKind(address);
  if (kind)
    throw refuse(
      'webhook_url_blocked_address',
      `${host === address ? address : `${host} resolves to ${address}, which`} is ${BLOCKED_ADDRESS_TEXT[kind]}; webhooks go to public addresses only (SOPDESK_WEBHOOK_ALLOW_PRIVATE=true allows private ones)`,
      { addressKind: kind, address },
    );
}

/**
 * The addresses a receiver URL may be connected to, all checked. A host name that does not resolve now is left to the
 * delivery (answered with an empty list: the sender checks again before each request), and so is every name when
 * private addresses are allowed (there is nothing to refuse).
 */
export async function screenReceiverUrl(raw: string, opts: ReceiverScreening = {}): Promise<ResolvedAddress[]> {
  const url = parseReceiverUrl(raw);
  const allowPrivate = opts.allowPrivate ?? false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIpLiteral(url.hostname)) {
    checkAddress(host, host, allowPrivate);
    return [{ address: host, family: host.includes(':') ? 6 : 4 }];
  }
  if (allowPrivate) return [];
  let found: ResolvedAddress[];
  try {
    found = await (opts.lookup ?? systemLookup)(host);
  } catch {
    return [];
  }
  for (const a of found) checkAddress(host, a.address, allowPrivate);
  return found;
}

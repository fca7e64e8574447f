/**
 * Which addresses an outbound webhook may be posted to (server-side request forgery): never one of the server's own
 * network — loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16 with the cloud metadata address
 * 169.254.169.254, fe80::/10), unspecified, multicast or broadcast — unless the operator allows private addresses
 * (SOPDESK_WEBHOOK_ALLOW_PRIVATE, for a self-hosted receiver on the same network). Pure: the caller resolves names.
 */

export type BlockedAddressKind = 'loopback' | 'private' | 'link_local' | 'unspecified' | 'multicast' | 'reserved';

export const BLOCKED_ADDRESS_TEXT: Record<BlockedAddressKind, string> = {
  loopback: 'a loopback address (this server)',
  private: 'a private network address',
  link_local: 'a link-local address (such as the cloud metadata service 169.254.169.254)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or broadcast address',
};

export const WEBHOOK_URL_POLICY =
  'Webhooks are posted only to public http(s) addresses, never to this server or its private network, unless SOPDESK_WEBHOOK_ALLOW_PRIVATE=true; a URL carries no user or password.';

/** The four bytes of a dotted IPv4 address, or undefined. */
function ipv4Bytes(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function ipv4Kind([a, b]: number[]): BlockedAddressKind | null {
  if (a === undefined || b === undefined) return null;
  if (a === 0) return 'unspecified'; // 0.0.0.0/8, "this network"
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // 100.64.0.0/10, carrier-grade NAT
  if (a === 169 && b === 254) return 'link_local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // 240.0.0.0/4 and 255.255.255.255
  return null;
}

/** The eight 16-bit groups of an IPv6 address (an IPv4 tail allowed), or undefined. */
function ipv6Groups(ip: string): number[] | undefined {
  let s = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    const bytes = ipv4Bytes(v4[1]!);
    if (!bytes) return undefined;
    s = `${s.slice(0, v4.index)}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

function ipv6Kind(g: number[]): BlockedAddressKind | null {
  const [g0 = 0, g1 = 0, , , , g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g7 === 1) return 'loopback';
  // An IPv4 address inside IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d) is the IPv4 one.
  const embedded = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  if ((zeroTo(5) && (g5 === 0xffff || g5 === 0)) || (g0 === 0x64 && g1 === 0xff9b && g.slice(2, 6).every((x) => !x)))
    return ipv4Kind(embedded);
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7, unique local
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, the old site-local
  if ((g0 & 0xffc0) === 0xfe80) return 'link_local'; // fe80::/10
  if ((g0 & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  return null;
}

/**
 * What kind of address of the server's own network `ip` is (IPv4 dotted or IPv6, brackets allowed), or null for a
 * public one. Something that is not an IP address at all is `reserved`: it is never connected to.
 */
export function blockedAddressKind(ip: string): BlockedAddressKind | null {
  const v4 = ipv4Bytes(ip);
  if (v4) return ipv4Kind(v4);
  const v6 = ipv6Groups(ip);
  return v6 ? ipv6Kind(v6) : 'reserved';
}

/** Whether a URL's host is an IP address literal (dotted IPv4 or bracketed IPv6), as WHATWG URL writes it. */
export function isIpLiteral(hostname: string): boolean {
  return ipv4Bytes(hostname) !== undefined || /^\[.*\]$/.test(hostname);
}

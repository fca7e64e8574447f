import { createHash, randomBytes } from 'node:crypto';

/** Every entity id is `<prefix>_<26 base32 chars>`: sortable by creation time, readable in logs. */
export const ID_PREFIX = {
  customer: 'cus',
  address: 'adr',
  paymentMethod: 'pm',
  product: 'prod',
  variant: 'var',
  order: 'ord',
  line: 'li',
  transaction: 'txn',
  package: 'pkg',
  accessCode: 'code',
  exchange: 'exc',
  event: 'evt',
  outbox: 'obx',
  token: 'tok',
  return: 'ret',
  refund: 'rfd',
  conversation: 'cnv',
  message: 'msg',
  handoff: 'hof',
  macro: 'mac',
  user: 'usr',
  sopRun: 'run',
  aiTurn: 'turn',
  approval: 'apr',
  velocityUse: 'vel',
  visitor: 'vis',
  simulationRun: 'sim',
  simulationTrial: 'trl',
  webhook: 'whk',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function encode(bytes: Uint8Array, time: number): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  for (let i = 0; i < 16; i++) out += ALPHABET[bytes[i]! % 32]!;
  return out;
}

export function newId(kind: IdKind, time: number = Date.now()): string {
  return `${ID_PREFIX[kind]}_${encode(randomBytes(16), time)}`;
}

/** Deterministic ids for the demo store: same seed and counter give the same id. */
export function seededId(kind: IdKind, rand: () => number, time: number): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(rand() * 256);
  return `${ID_PREFIX[kind]}_${encode(bytes, time)}`;
}

/**
 * The id sopdesk gives a record another system already names: the time part from `time` (when that record was made),
 * the rest from a hash of `key` (e.g. `shopify:fulfillment:255858046`). The same record always gets the same id, so
 * "do we have it yet?" is a primary-key lookup, and a record delivered twice cannot be written twice.
 */
export function derivedId(kind: IdKind, time: number, key: string): string {
  // A time before 1970 (a malformed date, not a real order) would not encode; such ids simply sort first.
  return `${ID_PREFIX[kind]}_${encode(createHash('sha256').update(key).digest(), Math.max(0, time))}`;
}

/** True when `id` has exactly the shape `newId(kind)` makes: the prefix, `_`, 26 Crockford base32 characters. */
export function isWellFormedId(id: string, kind: IdKind): boolean {
  return new RegExp(`^${ID_PREFIX[kind]}_[${ALPHABET}]{26}$`).test(id);
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(ID_PREFIX[kind] + '_');
}

/** Order numbers are stored as 32-bit integers. */
export const MAX_ORDER_NUMBER = 2_147_483_647;

/** Order numbers are shown and quoted as "#1001". */
export function formatOrderNumber(n: number): string {
  return `#${n}`;
}

/** Accepts "#1001", "1001" or 1001; a number beyond MAX_ORDER_NUMBER names no order (undefined), so it never reaches SQL. */
export function parseOrderNumber(text: string | number): number | undefined {
  const m = /^#?(\d{1,12})$/.exec(String(text).trim());
  const n = m ? Number(m[1]) : undefined;
  return n !== undefined && n <= MAX_ORDER_NUMBER ? n : undefined;
}

/**
 * How a channel's own order reference is matched: without surrounding space or leading `#`, in capitals — so the
 * `esg-58231467` a customer types finds Kogan's `ESG-58231467`, and `W2378156` an imported `#W2378156`. The index
 * `orders_external_ref_key_idx` is on the same expression in SQL (`upper(ltrim(external_ref, '#'))`).
 */
export function orderRefKey(ref: string): string {
  return ref.trim().replace(/^#+/, '').toUpperCase();
}

const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U to misread

/** A return tracking id customers can read out and type: `RT-` and 8 characters, e.g. `RT-7K3M9Q2X`. */
export function newReturnTrackingId(): string {
  const bytes = randomBytes(8);
  let out = '';
  for (let i = 0; i < 8; i++) out += TRACKING_ALPHABET[bytes[i]! % 32]!;
  return `RT-${out}`;
}

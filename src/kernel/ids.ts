import { randomBytes } from 'node:crypto';

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
  event: 'evt',
  outbox: 'obx',
  token: 'tok',
  sopRun: 'run',
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

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(ID_PREFIX[kind] + '_');
}

/** Order numbers are shown and quoted as "#1001". */
export function formatOrderNumber(n: number): string {
  return `#${n}`;
}

/** Accepts "#1001", "1001" or 1001. */
export function parseOrderNumber(text: string | number): number | undefined {
  const m = /^#?(\d{1,12})$/.exec(String(text).trim());
  return m ? Number(m[1]) : undefined;
}

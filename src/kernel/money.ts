/**
 * Money is an integer count of minor units (cents) in one ISO-4217 currency.
 * No float ever holds an amount: parsing, adding, splitting and comparing stay in integers.
 */
import { ISO_4217_MINOR_UNITS } from './iso-4217.js';

export type CurrencyCode = string;

/**
 * The minor-unit exponent of a currency, from ISO 4217 (`iso-4217.ts`): CLP, ISK, JPY 0; USD 2; KWD, BHD 3; CLF 4.
 * A code ISO gives no minor unit (XAU) or does not list is read with two decimals.
 */
export function exponentOf(currency: CurrencyCode): number {
  return ISO_4217_MINOR_UNITS[currency] ?? 2;
}

export function isMinorUnits(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  if (!Number.isSafeInteger(total)) throw new RangeError('money sum overflowed the safe integer range');
  return total;
}

/**
 * Splits `total` (≥ 0) into parts proportional to `weights` (each ≥ 0), largest-remainder method, so the parts are
 * integers that add up to exactly `total`. The products total × weight are taken in BigInt: they pass 2^53 long
 * before either factor does, and a float there would lose cents.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const weightSum = sumMinor(weights);
  if (weightSum === 0) return weights.map(() => 0);
  const sum = BigInt(weightSum);
  const shares = weights.map((w, i) => {
    const product = BigInt(total) * BigInt(w);
    return { i, base: Number(product / sum), rem: product % sum };
  });
  const base = shares.map((x) => x.base);
  let rest = total - sumMinor(base);
  const order = [...shares].sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) base[order[k]!.i]! += 1;
  return base;
}

/** "$500.00", "A$12.50", "¥300" — for people; never parse this back. */
export function formatMoney(amount: number, currency: CurrencyCode): string {
  const exp = exponentOf(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const div = 10 ** exp;
  const whole = Math.floor(abs / div)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = exp > 0 ? '.' + String(abs % div).padStart(exp, '0') : '';
  const symbol = SYMBOL[currency] ?? `${currency} `;
  return `${sign}${symbol}${whole}${frac}`;
}

const SYMBOL: Readonly<Record<string, string>> = {
  USD: '$',
  AUD: 'A$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  NZD: 'NZ$',
  CAD: 'CA$',
};

/** Parses a decimal string such as "500.00" into minor units without floating point. */
export function parseDecimal(text: string, currency: CurrencyCode): number {
  const exp = exponentOf(currency);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal amount: ${text}`);
  // Zeros past the currency's decimals change nothing ("1.230" USD is 123 cents); any other digit there would be lost.
  const digits = m[3] ?? '';
  if (/[1-9]/.test(digits.slice(exp))) throw new RangeError(`${text} has more than ${exp} decimals for ${currency}`);
  const frac = digits.slice(0, exp).padEnd(exp, '0');
  const value = Number(m[2]) * 10 ** exp + (frac ? Number(frac) : 0);
  // Past 2^53 the digits above no longer fit a float exactly: refuse rather than round someone's money.
  if (!Number.isSafeInteger(value)) throw new RangeError(`${text} is too large an amount`);
  return m[1] ? -value : value;
}

/** Minor units as a plain decimal string, as payment APIs take money: 4000 AUD → "40.00", 300 JPY → "300". The inverse of parseDecimal. */
export function toDecimal(amount: number, currency: CurrencyCode): string {
  if (!isMinorUnits(amount)) throw new RangeError(`money amount must be an integer of minor units, got ${amount}`);
  const exp = exponentOf(currency);
  const digits = String(Math.abs(amount)).padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  return `${amount < 0 ? '-' : ''}${whole}${exp > 0 ? `.${digits.slice(-exp)}` : ''}`;
}

import { invalid } from '../kernel/errors.js';

/** A postal address: an order's shipping address, a customer's address, and the one events carry. */
export interface Address {
  name?: string | undefined;
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  zip: string;
  country: string;
}

/** An address whose missing parts are left out (as given) or null (as stored). */
export type LooseAddress = Omit<Address, 'name' | 'line2' | 'region'> & {
  name?: string | null | undefined;
  line2?: string | null | undefined;
  region?: string | null | undefined;
};

/** `a` with each part it lacks as null: the shape a row stores and an answer shows. */
export function withNullParts(a: LooseAddress) {
  return {
    name: a.name ?? null,
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    region: a.region ?? null,
    zip: a.zip,
    country: a.country,
  };
}

/** Postal-code shapes for the countries we can check; other countries only need a non-empty code. */
const POSTAL: Readonly<Record<string, { re: RegExp; example: string }>> = {
  US: { re: /^\d{5}(-\d{4})?$/, example: '94105 or 94105-1234' },
  AU: { re: /^\d{4}$/, example: '2000' },
  NZ: { re: /^\d{4}$/, example: '6011' },
  CA: { re: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, example: 'K1A 0B1' },
  GB: { re: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, example: 'SW1A 1AA' },
  DE: { re: /^\d{5}$/, example: '10115' },
  FR: { re: /^\d{5}$/, example: '75001' },
};

/** Undefined when the code fits the country; otherwise what is wrong, for the person who typed it. */
export function postalCodeProblem(country: string, zip: string): string | undefined {
  const rule = POSTAL[country];
  if (!rule || rule.re.test(zip.trim())) return undefined;
  return `is not a valid ${country} postal code (e.g. ${rule.example})`;
}

/** Throws a 400 naming `<path>.zip` when the postal code does not fit the country. */
export function checkAddress(a: Address, path = 'address'): void {
  const problem = postalCodeProblem(a.country, a.zip);
  if (problem) throw invalid(`${path}.zip`, `${a.zip} ${problem}`);
}

/** "5 Market St, Melbourne, VIC, 3000, AU" — for summaries read to the customer. */
export function formatAddress(a: Address): string {
  return [a.name, a.line1, a.line2, a.city, a.region, a.zip, a.country].filter(Boolean).join(', ');
}

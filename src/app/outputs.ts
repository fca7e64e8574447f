/**
 * Output fields shared by every use case's result schema and every tool (re-exported by
 * `src/tools/schemas.ts`): one described schema per concept, for a language model to read.
 */
import { z } from 'zod';

export const orderIdOut = z.string().describe('Order id (ord_…)');
export const orderNameOut = z
  .string()
  .describe('Order name customers quote, e.g. "#1001" (or a shop\'s own, "#1166X01")');
export const customerIdOut = z.string().describe('Customer id (cus_…)');
export const itemIdOut = z.string().describe('Item id (li_…): one line of the order');
export const skuOut = z.string().describe('Stock keeping unit / product code');
export const titleOut = z.string().describe('Product and variant title');
export const currencyOut = z.string().describe('ISO-4217 currency code of the amounts, e.g. USD');
export const summaryOut = z
  .string()
  .describe('One sentence saying what happens (or happened), to read to the customer');
export const isoTimeOut = (what: string) => z.string().describe(`${what}, ISO-8601`);
/** An amount as a bare integer, where the currency is given beside it. */
export const minorUnits = (what: string) =>
  z.number().int().describe(`${what}, in integer minor units (cents): 12900 means 129.00`);
export const formattedOut = (what: string) =>
  z.string().describe(`${what} for people, e.g. "$54.00"; read it out, never parse it back`);

/** A postal address, each part it lacks null. */
export const AddressOut = z.object({
  name: z.string().nullable().describe('Recipient name'),
  line1: z.string().describe('Street address'),
  line2: z.string().nullable().describe('Apartment, suite, …'),
  city: z.string().describe('City'),
  region: z.string().nullable().describe('State or province'),
  zip: z.string().describe('Postal code'),
  country: z.string().describe('ISO-3166 alpha-2 country code'),
});

/** The fields naming one order line in an answer. */
export const itemRefOut = { itemId: itemIdOut, sku: skuOut, title: titleOut };

/** Stock put back, per variant (cancel_order, receive_return). */
export const RestockOut = z.object({
  variantId: z.string().describe('Variant id (var_…)'),
  sku: skuOut,
  quantity: z.number().int().describe('Units put back in stock'),
});

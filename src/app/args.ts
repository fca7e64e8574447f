/**
 * The agreed argument fields, one schema each, shared by every use case input and every tool:
 * `customerId`, `orderId` (id, the number, the channel reference or the channel's name the customer quotes), `itemId`, `packageId`, `productId`, and
 * the payment method and variant an action moves to. Descriptions are written for a language model.
 */
import { z } from 'zod';
import { TEXT_LIMITS, type TextKind } from '../kernel/limits.js';

/**
 * A text field of a kind (name, email, code, line, search, message …): at most TEXT_LIMITS[kind] characters, the one
 * table of text limits (src/kernel/limits.ts). The limit is in the JSON Schema (maxLength), and a longer value is a
 * 400 naming the field.
 */
export const boundedText = (kind: TextKind) =>
  z.string().max(TEXT_LIMITS[kind], `at most ${TEXT_LIMITS[kind]} characters`);
/** An email address, at most TEXT_LIMITS.email characters. */
export const boundedEmail = () => z.email().max(TEXT_LIMITS.email, `at most ${TEXT_LIMITS.email} characters`);

const prefixed = (prefix: string, what: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{4,40}$`), `an id like ${prefix}_…`)
    .describe(`${what} id (${prefix}_…)`);

export const customerIdArg = prefixed('cus', 'Customer').describe(
  'Customer id (cus_…), from find_customer_by_email or another find_customer tool',
);
/** What the customer may quote for an order: letters, digits and `#-_./:` (ids, numbers, channel references). */
export const ORDER_REF_PATTERN = /^[\p{L}\p{N}#._:/-]{1,100}$/u;
export const orderIdArg = z
  .string()
  .trim()
  .regex(
    ORDER_REF_PATTERN,
    "an order id (ord_…), an order number such as #1001 or the channel's order reference such as ESG-58231467",
  )
  .describe(
    'The order: its id (ord_…), the order number the customer quotes (e.g. "#1001"), the reference of the channel it came from (e.g. a Kogan "ESG-58231467" or a marketplace "#W2378156"), or the channel\'s own name of it (e.g. a Shopify shop\'s "#1166X01"). A reference two orders share is refused (ambiguous_order_ref) naming both: then give the id.',
  );
export const itemIdArg = prefixed('li', 'Order line').describe(
  'Item id (li_…): one line of an order, from get_order_details',
);
export const packageIdArg = prefixed('pkg', 'Package').describe(
  'Package id (pkg_…), from get_order_details or get_item_details',
);
export const productIdArg = prefixed('prod', 'Product').describe(
  'Product id (prod_…), from list_products or an order item',
);
export const variantIdArg = prefixed('var', 'Variant').describe('Variant id (var_…), from get_product_details');
export const paymentMethodIdArg = prefixed('pm', 'Payment method').describe(
  "One of the customer's own payment methods (pm_…), as get_customer_details lists them",
);

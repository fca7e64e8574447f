import { Hono } from 'hono';
import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import type { AppContext } from '../../app/context.js';
import { getProductCodes } from '../../app/access/get-product-codes.js';
import { GetProductCodesInput } from '../../app/access/schemas.js';
import type { Env } from '../auth.js';
import { fromZod } from '../errors.js';
import { parseQuery } from '../parse.js';

const key = GetProductCodesInput.shape;
/** The query of the product-code API: the customer keys of get_product_codes, as strings. */
export const ProductCodesQuery = z
  .object({
    email: boundedText('email')
      .optional()
      .describe(key.email.description ?? 'email'),
    imsId: boundedText('code')
      .optional()
      .describe(key.imsId.description ?? 'imsId'),
    customerId: boundedText('code')
      .optional()
      .describe(key.customerId.description ?? 'customerId'),
    includeRevoked: z
      .enum(['true', 'false'])
      .optional()
      .describe('true also lists codes that were revoked (e.g. by a product swap); default false'),
  })
  .describe('Give exactly one of email, imsId or customerId');

/** The product-swap procedure's product-code API: `GET /v1/product-codes?email=…` or `?imsId=…` (`&includeRevoked=true`). */
export function productCodeRoutes(ctx: AppContext) {
  return new Hono<Env>().get('/', async (c) => {
    const q = parseQuery(c, ProductCodesQuery);
    const input = GetProductCodesInput.safeParse({
      ...(q.email !== undefined ? { email: q.email } : {}),
      ...(q.imsId !== undefined ? { imsId: q.imsId } : {}),
      ...(q.customerId !== undefined ? { customerId: q.customerId } : {}),
      includeRevoked: q.includeRevoked === 'true',
    });
    if (!input.success) throw fromZod(input.error);
    return c.json(await getProductCodes(ctx, input.data));
  });
}

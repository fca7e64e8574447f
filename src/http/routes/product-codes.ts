import { z } from 'zod';
import { boundedText } from '../../app/args.js';
import { getProductCodes } from '../../app/access/get-product-codes.js';
import { GetProductCodesInput } from '../../app/access/schemas.js';
import { ProductCodesOut } from '../../tools/change-outputs.js';
import { defineRoute } from '../define-route.js';
import { fromZod } from '../errors.js';

const key = GetProductCodesInput.shape;
/** The query of the product-code API: the customer keys of get_product_codes, as strings. */
const ProductCodesQuery = z
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
export const PRODUCT_CODE_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/product-codes',
    operationId: 'lookUpProductCodes',
    summary: "A customer's product (access) codes, by email, IMS id or customer id (as the get_product_codes tool)",
    tag: 'customers',
    query: ProductCodesQuery,
    ok: {
      status: 200,
      description:
        'The customer and their codes: active first (newest first), then revoked ones when includeRevoked=true',
      schema: ProductCodesOut,
    },
    run: ({ ctx, query: q }) => {
      const input = GetProductCodesInput.safeParse({
        ...(q.email !== undefined ? { email: q.email } : {}),
        ...(q.imsId !== undefined ? { imsId: q.imsId } : {}),
        ...(q.customerId !== undefined ? { customerId: q.customerId } : {}),
        includeRevoked: q.includeRevoked === 'true',
      });
      if (!input.success) throw fromZod(input.error);
      return getProductCodes(ctx, input.data);
    },
  }),
];

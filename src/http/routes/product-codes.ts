import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { getProductCodes } from '../../app/access/get-product-codes.js';
import { GetProductCodesInput } from '../../app/access/schemas.js';
import type { Env } from '../auth.js';
import { fromZod } from '../errors.js';
import { parseQuery } from '../parse.js';

const Query = z.object({
  email: z.string().optional(),
  imsId: z.string().optional(),
  customerId: z.string().optional(),
  includeRevoked: z.enum(['true', 'false']).optional(),
});

/** Seed 000's product-code API: `GET /v1/product-codes?email=…` or `?imsId=…` (`&includeRevoked=true`). */
export function productCodeRoutes(ctx: AppContext) {
  return new Hono<Env>().get('/', async (c) => {
    const q = parseQuery(c, Query);
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

/**
 * Thin REST routes over the order actions, for people and scripts (agents use /v1/tools): each parses its
 * body with the use case's schema and calls the same use case as the tool. `dryRun: true` previews.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { cancelOrder } from '../../app/orders/cancel-order.js';
import { CancelOrderInput } from '../../app/orders/cancel-order.schemas.js';
import { refundOrder } from '../../app/refunds/refund-order.js';
import { RefundOrderInput } from '../../app/refunds/schemas.js';
import { checkReturnEligibilityOf } from '../../app/returns/check-return-eligibility.js';
import { getReturnDetails } from '../../app/returns/get-return-details.js';
import { initiateReturn } from '../../app/returns/initiate-return.js';
import { approveReturn, cancelReturn, declineReturn, markReturnPickedUp, receiveReturn } from '../../app/returns/return-steps.js';
import {
  CancelReturnInput, DeclineReturnInput, InitiateReturnInput, MarkReturnPickedUpInput, ReceiveReturnInput, SetReturnPolicyInput,
} from '../../app/returns/schemas.js';
import { listReturnPolicies, setReturnPolicy } from '../../app/returns/set-return-policy.js';
import { requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseBody } from '../parse.js';

const DryRun = { dryRun: z.boolean().optional().describe('true = preview only: answers what would happen and changes nothing') };

// The bodies of the routes: the use case's input without the id the path carries (exported for /openapi.json).
export const CancelOrderBody = CancelOrderInput.omit({ orderId: true }).extend(DryRun);
export const RefundOrderBody = RefundOrderInput.omit({ orderId: true }).extend(DryRun);
export const InitiateReturnBody = InitiateReturnInput.omit({ orderId: true }).extend(DryRun);
export const ApproveReturnBody = z.object(DryRun);
export const DeclineReturnBody = DeclineReturnInput.omit({ returnId: true }).extend(DryRun);
export const PickUpReturnBody = MarkReturnPickedUpInput.omit({ returnId: true }).extend(DryRun);
export const ReceiveReturnBody = ReceiveReturnInput.omit({ returnId: true }).extend(DryRun);
export const CancelReturnBody = CancelReturnInput.omit({ returnId: true }).extend(DryRun);

function options(c: Context<Env>, dryRun: boolean | undefined) {
  return { actor: c.get('actor'), idempotencyKey: idempotencyKey(c), dryRun };
}

export function actionRoutes(ctx: AppContext) {
  // Hono has already decoded the path parameter (`%231001` arrives as `#1001`): decoding it again would turn
  // `%25` (a literal `%`) into a URIError.
  const order = (c: Context<Env>) => c.req.param('id') ?? '';
  const ret = (c: Context<Env>) => c.req.param('id') ?? '';
  return new Hono<Env>()
    .post('/orders/:id/cancel', async (c) => {
      const { dryRun, ...body } = await parseBody(c, CancelOrderBody);
      return c.json(await cancelOrder(ctx, { ...body, orderId: order(c) }, options(c, dryRun)));
    })
    .post('/orders/:id/refunds', async (c) => {
      const { dryRun, ...body } = await parseBody(c, RefundOrderBody);
      return c.json(await refundOrder(ctx, { ...body, orderId: order(c) }, options(c, dryRun)));
    })
    .get('/orders/:id/return-eligibility', async (c) => c.json(await checkReturnEligibilityOf(ctx, { orderId: order(c) })))
    .post('/orders/:id/returns', async (c) => {
      const { dryRun, ...body } = await parseBody(c, InitiateReturnBody);
      return c.json(await initiateReturn(ctx, { ...body, orderId: order(c) }, options(c, dryRun)));
    })
    .get('/returns/:id', async (c) => c.json(await getReturnDetails(ctx, { returnId: ret(c) })))
    .post('/returns/:id/approve', async (c) => {
      const { dryRun } = await parseBody(c, ApproveReturnBody);
      return c.json(await approveReturn(ctx, { returnId: ret(c) }, options(c, dryRun)));
    })
    .post('/returns/:id/decline', async (c) => {
      const { dryRun, ...body } = await parseBody(c, DeclineReturnBody);
      return c.json(await declineReturn(ctx, { ...body, returnId: ret(c) }, options(c, dryRun)));
    })
    .post('/returns/:id/pick-up', async (c) => {
      const { dryRun, ...body } = await parseBody(c, PickUpReturnBody);
      return c.json(await markReturnPickedUp(ctx, { ...body, returnId: ret(c) }, options(c, dryRun)));
    })
    .post('/returns/:id/receive', async (c) => {
      const { dryRun, ...body } = await parseBody(c, ReceiveReturnBody);
      return c.json(await receiveReturn(ctx, { ...body, returnId: ret(c) }, options(c, dryRun)));
    })
    .post('/returns/:id/cancel', async (c) => {
      const { dryRun, ...body } = await parseBody(c, CancelReturnBody);
      return c.json(await cancelReturn(ctx, { ...body, returnId: ret(c) }, options(c, dryRun)));
    })
    .get('/return-policies', async (c) => c.json(await listReturnPolicies(ctx)))
    .put('/return-policies', requireRole('admin'), async (c) => {
      const body = await parseBody(c, SetReturnPolicyInput);
      return c.json(await setReturnPolicy(ctx, body, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }));
    });
}

import { Hono } from 'hono';
import { getApprovalPolicy, updateApprovalPolicy } from '../../app/approvals/approval-policy.js';
import { getApproval, listApprovals } from '../../app/approvals/approval-requests.js';
import {
  ApprovalListQuery,
  ApprovalPolicyBody,
  ApproveApprovalBody,
  DeclineApprovalBody,
} from '../../app/approvals/schemas.js';
import type { AppContext } from '../../app/context.js';
import { approveRequest, declineRequest } from '../../tools/approvals.js';
import { callerOf, requireRole, type Env } from '../auth.js';
import { idempotencyKey, parseBody, parseQuery } from '../parse.js';

/** The approval policy (read by every writer, set by an admin). */
export function approvalPolicyRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => c.json(await getApprovalPolicy(ctx)))
    .put('/', requireRole('admin'), async (c) => {
      const body = await parseBody(c, ApprovalPolicyBody);
      return c.json(
        await updateApprovalPolicy(ctx, body, { actor: c.get('actor'), idempotencyKey: idempotencyKey(c) }),
      );
    });
}

/** Approval requests: listed for the people who decide them; approve runs the action, decline tells the customer. */
export function approvalRoutes(ctx: AppContext) {
  return new Hono<Env>()
    .get('/', async (c) => c.json({ approvals: await listApprovals(ctx, parseQuery(c, ApprovalListQuery)) }))
    .get('/:id', async (c) => c.json(await getApproval(ctx, c.req.param('id'))))
    .post('/:id/approve', async (c) => {
      // No fields: an empty body or {}.
      if ((await c.req.text()).trim()) await parseBody(c, ApproveApprovalBody);
      return c.json(await approveRequest(ctx, c.req.param('id'), callerOf(c)));
    })
    .post('/:id/decline', async (c) => {
      const body = await parseBody(c, DeclineApprovalBody);
      return c.json(await declineRequest(ctx, { id: c.req.param('id'), reason: body.reason }, callerOf(c)));
    });
}

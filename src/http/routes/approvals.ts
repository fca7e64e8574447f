import { getApprovalPolicy, updateApprovalPolicy } from '../../app/approvals/approval-policy.js';
import { getApproval, listApprovals } from '../../app/approvals/approval-requests.js';
import {
  ApprovalList,
  ApprovalListQuery,
  ApprovalPolicyBody,
  ApprovalPolicyView,
  ApprovalView,
  ApproveApprovalBody,
  DeclineApprovalBody,
} from '../../app/approvals/schemas.js';
import { approveRequest, declineRequest } from '../../tools/approvals.js';
import { callerOf } from '../auth.js';
import { ACTION_ERRORS, defineRoute } from '../define-route.js';

/**
 * The approval policy (read by every writer, set by an admin) and the approval requests: listed for the people who
 * decide them; approve runs the action, decline tells the customer.
 */
export const APPROVAL_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/approval-policy',
    operationId: 'getApprovalPolicy',
    summary: 'What each kind of actor (ai_agent, agent, admin) may do without approval',
    tag: 'approvals',
    errors: [401],
    ok: { status: 200, description: 'The policy', schema: ApprovalPolicyView },
    run: ({ ctx }) => getApprovalPolicy(ctx),
  }),
  defineRoute({
    method: 'put',
    path: '/v1/approval-policy',
    operationId: 'updateApprovalPolicy',
    summary: 'Set the limits of one or more kinds of actor (admin)',
    tag: 'approvals',
    roles: ['admin'],
    body: ApprovalPolicyBody,
    ok: { status: 200, description: 'The policy', schema: ApprovalPolicyView },
    run: ({ ctx, body, opts }) => updateApprovalPolicy(ctx, body, opts),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/approvals',
    operationId: 'listApprovals',
    summary: 'Approval requests of a status (default pending), newest first',
    tag: 'approvals',
    query: ApprovalListQuery,
    errors: [400, 401],
    ok: { status: 200, description: 'The requests', schema: ApprovalList },
    run: async ({ ctx, query }) => ({ approvals: await listApprovals(ctx, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/approvals/{id}',
    operationId: 'getApproval',
    summary: 'One approval request',
    tag: 'approvals',
    ok: { status: 200, description: 'The request', schema: ApprovalView },
    run: ({ ctx, params }) => getApproval(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/approvals/{id}/approve',
    operationId: 'approveApproval',
    summary:
      'Approve a pending request: the action runs as asked, as the actor who asked (agent within their own limits, or admin)',
    tag: 'approvals',
    // No fields: an empty body or {}.
    body: ApproveApprovalBody,
    emptyBody: true,
    idempotent: false,
    errors: ACTION_ERRORS,
    ok: { status: 200, description: 'The request, approved, with the action’s answer', schema: ApprovalView },
    run: ({ ctx, c, params }) => approveRequest(ctx, params.id, callerOf(c)),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/approvals/{id}/decline',
    operationId: 'declineApproval',
    summary: 'Decline a pending request; the customer is told the reason',
    tag: 'approvals',
    body: DeclineApprovalBody,
    idempotent: false,
    ok: { status: 200, description: 'The request, declined', schema: ApprovalView },
    run: ({ ctx, c, params, body }) => declineRequest(ctx, { id: params.id, reason: body.reason }, callerOf(c)),
  }),
];

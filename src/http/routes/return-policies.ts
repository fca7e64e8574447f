import { SetReturnPolicyInput } from '../../app/returns/schemas.js';
import { listReturnPolicies, setReturnPolicy } from '../../app/returns/set-return-policy.js';
import { ReturnPoliciesOut } from '../answers.js';
import { defineRoute } from '../define-route.js';

/** The return-window rules of categories, channels and the store: anyone reads them, an admin sets them. */
export const RETURN_POLICY_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/return-policies',
    operationId: 'listReturnPolicies',
    summary: 'The return-window rules (product windows are set on the product)',
    tag: 'returns',
    errors: [401],
    ok: { status: 200, description: 'The rules', schema: ReturnPoliciesOut },
    run: ({ ctx }) => listReturnPolicies(ctx),
  }),
  defineRoute({
    method: 'put',
    path: '/v1/return-policies',
    operationId: 'setReturnPolicy',
    summary: 'Set or remove the return window of a category, a channel or the store (admin)',
    tag: 'returns',
    roles: ['admin'],
    body: SetReturnPolicyInput,
    ok: { status: 200, description: 'Every rule after the change', schema: ReturnPoliciesOut },
    run: ({ ctx, body, opts }) => setReturnPolicy(ctx, body, opts),
  }),
];

/** Returns (the Handling Returns procedure): eligibility, start a return, every step of its lifecycle; tools and REST routes. */
import { checkReturnEligibilityOf } from '../app/returns/check-return-eligibility.js';
import { getReturnDetails } from '../app/returns/get-return-details.js';
import { initiateReturn } from '../app/returns/initiate-return.js';
import {
  approveReturn,
  cancelReturn,
  declineReturn,
  markReturnPickedUp,
  receiveReturn,
} from '../app/returns/return-steps.js';
import {
  CancelReturnInput,
  CheckReturnEligibilityInput,
  DeclineReturnInput,
  EligibilityResult,
  InitiateReturnInput,
  InitiateReturnPreview,
  MarkReturnPickedUpInput,
  ReceiveReturnInput,
  ReturnIdInput,
  ReturnStepPreview,
  ReturnView,
} from '../app/returns/schemas.js';
import { RETURN_POLICY } from '../domain/return-rules.js';
import { TRANSITION_POLICY } from '../domain/return-status.js';
import { actionOutput, dryRunArg } from './schemas.js';
import { actionOptions, defineTool, READ, WRITE, type RestRoute, type ToolDefinition } from './define.js';
import { noCustomer, refusal, refusalsOf } from './refusals.js';

/** The REST route of a step of a return's lifecycle: POST /v1/returns/{id}/<verb>. */
const step = (verb: string, operationId: string, summary: string): RestRoute => ({
  method: 'post',
  path: `/returns/{id}/${verb}`,
  params: { id: 'returnId' },
  tag: 'returns',
  operationId,
  summary,
});
const transition = (when: string) => [refusal('invalid_transition', when, TRANSITION_POLICY)];

const stepOutput = actionOutput(ReturnStepPreview, ReturnView);

export const checkReturnEligibilityTool = defineTool({
  name: 'check_return_eligibility',
  title: 'Check which items can be returned',
  description:
    'Answers, per item of an order, whether it can be returned now and how many units; if not, why (reason code, what to tell the customer, and the policy). ' +
    'An item can be returned only if it is returnable, within its return window (counted from when the order was placed), delivered (an item in transit can be returned after it is delivered), ' +
    'and for no more units than were delivered less those already returned or requested and those exchanged. Call this before initiate_return.',
  rest: {
    method: 'get',
    path: '/orders/{id}/return-eligibility',
    params: { id: 'orderId' },
    tag: 'returns',
    operationId: 'checkReturnEligibilityById',
    summary: 'Which items of an order can be returned, with windows and reasons (as check_return_eligibility)',
  },
  input: CheckReturnEligibilityInput,
  output: EligibilityResult,
  hints: READ,
  run: (input, call) => checkReturnEligibilityOf(call.ctx, input),
});

export const initiateReturnTool = defineTool({
  name: 'initiate_return',
  title: 'Start a return',
  description:
    'Starts a return of delivered items with a reason (DAMAGED, DEFECTIVE, WRONG_ITEM, ORDERED_BY_MISTAKE, OTHER) and gives the return tracking id (RT-…) to pass on to the customer. ' +
    'The result carries disclosures you must tell the customer: shipping fees are not refunded, only the item cost; and the return is approved first, only then does pickup begin. ' +
    'Its refusals are the reasons check_return_eligibility gives.',
  refusals: refusalsOf(RETURN_POLICY, {
    order_canceled: 'the order is canceled',
    not_returnable: 'no-return policy',
    return_window_expired: 'after the deadline (`window`)',
    not_delivered: 'nothing returnable is delivered yet',
    exceeds_returnable_quantity: 'more units than delivered − returned/requested − exchanged (`returnableQuantity`)',
  }).concat(noCustomer()),
  rest: {
    method: 'post',
    path: '/orders/{id}/returns',
    params: { id: 'orderId' },
    tag: 'returns',
    operationId: 'initiateReturnById',
    summary: 'Start a return (as initiate_return); dryRun previews',
  },
  input: InitiateReturnInput.extend({ dryRun: dryRunArg }),
  output: actionOutput(InitiateReturnPreview, ReturnView),
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => initiateReturn(call.ctx, input, actionOptions(call, dryRun)),
});

export const getReturnDetailsTool = defineTool({
  name: 'get_return_details',
  title: 'Look up a return',
  description:
    'A return by its id (ret_…) or tracking id (RT-…): status (requested, approved, picked_up, received, refunded, declined, canceled), items, the refund amount (item cost; shipping is not refunded) and what can happen next.',
  rest: {
    method: 'get',
    path: '/returns/{id}',
    params: { id: 'returnId' },
    tag: 'returns',
    operationId: 'getReturnById',
    summary: 'A return by id (ret_…) or tracking id (RT-…)',
  },
  input: ReturnIdInput,
  output: ReturnView,
  hints: READ,
  run: (input, call) => getReturnDetails(call.ctx, input),
});

export const approveReturnTool = defineTool({
  name: 'approve_return',
  title: 'Approve a return',
  description: 'Approves a requested return; pickup of the items can begin only after this.',
  refusals: transition('the return is not requested'),
  rest: step('approve', 'approveReturnById', 'Approve a requested return'),
  input: ReturnIdInput.extend({ dryRun: dryRunArg }),
  output: stepOutput,
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => approveReturn(call.ctx, input, actionOptions(call, dryRun)),
});

export const declineReturnTool = defineTool({
  name: 'decline_return',
  title: 'Decline a return',
  description: 'Declines a requested or approved return, with the reason to tell the customer.',
  refusals: transition('already picked up, received or closed'),
  rest: step('decline', 'declineReturnById', 'Decline a requested or approved return'),
  input: DeclineReturnInput.extend({ dryRun: dryRunArg }),
  output: stepOutput,
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => declineReturn(call.ctx, input, actionOptions(call, dryRun)),
});

export const markReturnPickedUpTool = defineTool({
  name: 'mark_return_picked_up',
  title: 'Mark a return picked up',
  description: 'Records that the carrier picked up an approved return: it is now in transit to the returns centre.',
  refusals: transition('not approved yet, or already further'),
  rest: step('pick-up', 'markReturnPickedUpById', 'Record that the carrier picked up an approved return'),
  input: MarkReturnPickedUpInput.extend({ dryRun: dryRunArg }),
  output: stepOutput,
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => markReturnPickedUp(call.ctx, input, actionOptions(call, dryRun)),
});

export const receiveReturnTool = defineTool({
  name: 'receive_return',
  title: 'Receive a return',
  description:
    'Records that a picked-up return arrived at the centre and puts its units back in stock (unless restock is false). It can then be refunded with refund_order and its returnId.',
  refusals: transition('not picked up yet, or already received or closed'),
  rest: step('receive', 'receiveReturnById', 'Record that a return arrived, restocking its units'),
  input: ReceiveReturnInput.extend({ dryRun: dryRunArg }),
  output: stepOutput,
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => receiveReturn(call.ctx, input, actionOptions(call, dryRun)),
});

export const cancelReturnTool = defineTool({
  name: 'cancel_return',
  title: 'Cancel a return',
  description:
    'Cancels a requested or approved return (e.g. the customer changed their mind); its units can be returned again later while the window is open.',
  refusals: transition('already picked up, received or closed'),
  rest: step('cancel', 'cancelReturnById', 'Cancel a requested or approved return'),
  input: CancelReturnInput.extend({ dryRun: dryRunArg }),
  output: stepOutput,
  hints: WRITE,
  run: ({ dryRun, ...input }, call) => cancelReturn(call.ctx, input, actionOptions(call, dryRun)),
});

export const returnsTools: ToolDefinition[] = [
  checkReturnEligibilityTool,
  initiateReturnTool,
  getReturnDetailsTool,
  approveReturnTool,
  declineReturnTool,
  markReturnPickedUpTool,
  receiveReturnTool,
  cancelReturnTool,
] as unknown as ToolDefinition[];

/** The confirm button of a write tool, in an agent's words (a tool's title is written for a catalogue). */
const CONFIRM: Record<string, string> = {
  cancel_order: 'Confirm cancellation',
  refund_order: 'Confirm refund',
  initiate_return: 'Start the return',
  exchange_items: 'Confirm exchange',
  swap_purchased_product: 'Confirm swap',
  approve_return: 'Approve the return',
  decline_return: 'Decline the return',
  cancel_return: 'Cancel the return',
  mark_return_picked_up: 'Mark picked up',
  receive_return: 'Mark received',
  set_exchange_status: 'Confirm',
  request_product_codes: 'Issue the codes',
  sync_purchase_history: 'Sync the purchase history',
  modify_pending_order_address: 'Change the address',
  modify_pending_order_items: 'Change the items',
  modify_pending_order_payment: 'Change the payment method',
  update_customer_address: 'Update the address',
};

export const confirmLabel = (tool: string): string => CONFIRM[tool] ?? 'Confirm';

/** What an agent can do when a step's action is refused by a rule they can act on. */
export const NEXT_STEP: Record<string, string> = {
  return_required:
    'Start a return of the delivered items on the order card (Orders tab); once it is received, refund the return there.',
  order_unpaid: 'Nothing was paid: cancel the order on the order card instead (Orders tab).',
  order_delivered: 'Items were delivered: start a return on the order card instead (Orders tab).',
};

/**
 * An action above the actor's limits is not done but sent for approval (`{ approvalRequired }`, HTTP 202): said so,
 * never "done". Null for any other answer.
 */
export function approvalSent(answer: unknown): string | null {
  return typeof answer === 'object' && answer !== null && 'approvalRequired' in answer
    ? 'Sent for approval: nothing has happened yet. A colleague approves or declines it under Approvals.'
    : null;
}

import { ApiError } from '../api/client';

export interface Refusal {
  message: string;
  reason?: string | undefined;
  policy?: string | undefined;
  /** The HTTP status: 422 a rule refused, 400 the input is wrong (see fields), 404 something named was not found. */
  status?: number | undefined;
  /** For a 400: the fields at fault. */
  fields?: { path: string; message: string }[] | undefined;
  /** For a 422 about one entered item: that item's line id. */
  itemId?: string | undefined;
}

export const refusalOf = (e: unknown): Refusal =>
  e instanceof ApiError
    ? { message: e.message, reason: e.reason, policy: e.policy, status: e.status, fields: e.fields, itemId: e.itemId }
    : { message: 'The server could not be reached.' };

/** How the rules' messages name an operation (written for tools and models too), in an agent's words. */
const TOOL_WORDS: [RegExp, string][] = [
  [
    /\s*\((?:check_return_eligibility|initiate_return|cancel_order|refund_order|exchange_items|swap_purchased_product|sync_purchase_history)\)/g,
    '',
  ],
  [/refund_order and its returnId/g, 'a refund of the return'],
  [/check_return_eligibility/g, 'the return check'],
  [/initiate_return/g, 'a return'],
  [/refund_order/g, 'a refund'],
  [/cancel_order/g, 'a cancellation'],
  [/exchange_items/g, 'an exchange'],
  [/swap_purchased_product/g, 'a product swap'],
  [/modify_pending_order_items/g, 'an order change'],
  [/sync_purchase_history/g, 'a purchase-history sync'],
  [/list_products/g, 'the product search'],
];

/** A message of the rules as a person reads it: no tool names. */
export function forPeople(message: string): string {
  return TOOL_WORDS.reduce((text, [tool, words]) => text.replace(tool, words), message);
}

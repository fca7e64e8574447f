import { NO_CUSTOMER_POLICY } from '../domain/order-customer.js';
import { MANAGED_IN_SHOPIFY_POLICY } from '../domain/shopify.js';

/**
 * The refusals an operation can give: each `not_eligible` reason with when it happens and the policy sentence the
 * rule quotes. The reasons of a family are the keys of its policy table in src/domain (CANCEL_POLICY, REFUND_POLICY,
 * RETURN_POLICY, …), so a reason that no rule can give does not type-check. The tool description, the OpenAPI
 * operation and the docs' tables (`npm run docs:refusals`) are all written from these lists.
 */
export interface Refusal {
  /** The `reason` of the not_eligible error, e.g. order_delivered. */
  reason: string;
  /** When it happens, in a few words. */
  when: string;
  /** The policy sentence the error carries. */
  policy: string;
}

/** Refusals from one family's policy table: `when` names, per reason the operation can give, when it does. */
export function refusalsOf<P extends Record<string, string>>(
  policy: P,
  when: { readonly [K in keyof P]?: string },
): Refusal[] {
  return Object.entries(when).map(([reason, w]) => ({ reason, when: w as string, policy: policy[reason]! }));
}

/** A refusal whose policy is one sentence for every reason of its family (e.g. the return transition table). */
export function refusal(reason: string, when: string, policy: string): Refusal {
  return { reason, when, policy };
}

/** The sentence a tool's description ends with, for a language model to read. */
export function refusalSentence(refusals: readonly Refusal[]): string {
  if (refusals.length === 0) return '';
  return `Refusals (not_eligible, error.reason): ${refusals.map((r) => `${r.reason} (${r.when})`).join('; ')}.`;
}

/** A Markdown table of refusals: the docs' tables and the OpenAPI operation descriptions. */
export function refusalTable(refusals: readonly Refusal[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| reason | when | policy |',
    '|---|---|---|',
    ...refusals.map((r) => `| \`${r.reason}\` | ${cell(r.when)} | ${cell(r.policy)} |`),
  ].join('\n');
}

/** A change of a Shopify order that sopdesk cannot make in Shopify too (`when` says which). */
export const managedInShopify = (when = 'a Shopify order: make the change in Shopify admin') =>
  refusal('managed_in_shopify', when, MANAGED_IN_SHOPIFY_POLICY);

/** What needs the order's customer, on an order without one (a point-of-sale or draft order). */
export const noCustomer = (when = 'the order has no customer (a point-of-sale or draft order)') =>
  refusal('no_customer', when, NO_CUSTOMER_POLICY);

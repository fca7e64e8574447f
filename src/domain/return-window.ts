/**
 * The return window (the Handling Returns procedure): the time since the order was placed in which a return may start. The one
 * place that decides its length and its deadline — check_return_eligibility, initiate_return,
 * get_item_details and get_product_details all read it from here.
 * Most specific rule wins: the product's own days > its category > the order's channel > the store default
 * (`return_policies`) > 30 days.
 */
import { addDays } from '../kernel/clock.js';

export const DEFAULT_RETURN_WINDOW_DAYS = 30;

export type PolicyScope = 'category' | 'channel' | 'store';
export interface ReturnPolicyRule {
  scope: PolicyScope;
  /** The category or channel name; `*` for the store default. */
  key: string;
  windowDays: number;
}

export interface ReturnWindow {
  days: number;
  /** Which rule set it: the product itself, its category, the order's channel, the store, or the built-in default. */
  source: 'product' | PolicyScope | 'default';
}

/** A window placed in time: its deadline, and whether `now` is still within it. */
export interface DatedReturnWindow extends ReturnWindow {
  /** ISO-8601 end of the window (placement + days); the last instant a return may start. */
  deadline: string;
  open: boolean;
}

/** Most specific wins: product > category > channel > store default > 30 days. `channel` null = any channel. */
export function resolveReturnWindow(
  item: { productWindowDays: number | null; category: string | null; channel: string | null },
  rules: readonly ReturnPolicyRule[],
): ReturnWindow {
  if (item.productWindowDays !== null) return { days: item.productWindowDays, source: 'product' };
  const find = (scope: PolicyScope, key: string | null) =>
    key === null ? undefined : rules.find((r) => r.scope === scope && r.key === key);
  const rule = find('category', item.category) ?? find('channel', item.channel) ?? find('store', '*');
  return rule ? { days: rule.windowDays, source: rule.scope } : { days: DEFAULT_RETURN_WINDOW_DAYS, source: 'default' };
}

/** The window of an order placed at `placedAt`, as of `now`. */
export function datedReturnWindow(window: ReturnWindow, placedAt: string, now: Date): DatedReturnWindow {
  const deadline = addDays(new Date(placedAt), window.days);
  return { ...window, deadline: deadline.toISOString(), open: now.getTime() <= deadline.getTime() };
}

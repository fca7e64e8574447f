/**
 * The return window (seed 002): the time since the order was placed in which a return is allowed.
 * A product may set its own number of days; otherwise the store default applies.
 */
import { addDays } from '../kernel/clock.js';

export const DEFAULT_RETURN_WINDOW_DAYS = 30;

export interface ReturnWindow {
  /** Days after order placement. */
  days: number;
  /** ISO-8601 end of the window (placement + days). */
  endsAt: string;
  /** True while `now` is within the window. */
  open: boolean;
}

export function returnWindow(placedAt: string, productDays: number | null, now: Date): ReturnWindow {
  const days = productDays ?? DEFAULT_RETURN_WINDOW_DAYS;
  const ends = addDays(new Date(placedAt), days);
  return { days, endsAt: ends.toISOString(), open: now.getTime() <= ends.getTime() };
}

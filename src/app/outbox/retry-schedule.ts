/**
 * When the outbox tries a failed delivery again. A delivery that fails waits out the schedule's next delay (longer
 * each time, with jitter so that the rows an outage failed together do not all come back in the same second) and is
 * given up after its last attempt: the schedule's delays plus the first attempt. The default spans about four hours,
 * as Shopify's own webhook retries do, so an outage of a mail server or of Shopify is outlasted rather than raced.
 */

/** Delays between attempts, in ms: 1 min, 3, 7, 15, 30 min, 1 h, 2 h — 8 attempts over about 3 h 56 min. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  60_000, 180_000, 420_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
];

/** Each delay is multiplied by a factor drawn from [1 − JITTER, 1 + JITTER). */
export const RETRY_JITTER = 0.2;

/** How many attempts a row gets under `schedule`: the first, and one after each delay. */
export const attemptsOf = (schedule: readonly number[]) => schedule.length + 1;

/**
 * How long to wait after the `attempt`-th failed attempt (1-based), jittered by `random` (in [0, 1)); undefined when
 * that was the last attempt.
 */
export function retryDelayMs(
  schedule: readonly number[],
  attempt: number,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule[attempt - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()));
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const MAX_DELAY_MS = 7 * 24 * 3_600_000;
const MAX_RETRIES = 50;

/**
 * Reads a schedule written as comma-separated durations, `30s,1m,5m,1h` (units ms, s, m, h). Throws a message that
 * names the entry at fault.
 */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > MAX_RETRIES) throw new Error(`at most ${MAX_RETRIES} delays, got ${parts.length}`);
  return parts.map((p, i) => {
    const m = /^(\d+)(ms|s|m|h)$/.exec(p);
    if (!m) throw new Error(`entry ${i + 1} ("${p}") is not a duration such as 30s, 5m or 2h`);
    const ms = Number(m[1]) * UNIT_MS[m[2]!]!;
    if (ms > MAX_DELAY_MS) throw new Error(`entry ${i + 1} ("${p}") is longer than 7 days`);
    return ms;
  });
}

/** A schedule as people write it (`1m,3m,1h`), for logs and docs. */
export function formatRetrySchedule(schedule: readonly number[]): string {
  return schedule
    .map((ms) =>
      ms % 3_600_000 === 0
        ? `${ms / 3_600_000}h`
        : ms % 60_000 === 0
          ? `${ms / 60_000}m`
          : ms % 1_000 === 0
            ? `${ms / 1_000}s`
            : `${ms}ms`,
    )
    .join(',');
}

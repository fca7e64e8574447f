import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  attemptsOf,
  DEFAULT_RETRY_SCHEDULE,
  formatRetrySchedule,
  parseRetrySchedule,
  retryDelayMs,
  RETRY_JITTER,
} from './retry-schedule.js';

describe('the outbox retry schedule', () => {
  it('by default gives a delivery 8 attempts spread over about four hours, each wait longer than the one before', () => {
    expect(attemptsOf(DEFAULT_RETRY_SCHEDULE)).toBe(8);
    const total = DEFAULT_RETRY_SCHEDULE.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(3.5 * 3_600_000);
    expect(total).toBeLessThan(4.5 * 3_600_000);
    for (let i = 1; i < DEFAULT_RETRY_SCHEDULE.length; i++)
      expect(DEFAULT_RETRY_SCHEDULE[i]!).toBeGreaterThan(DEFAULT_RETRY_SCHEDULE[i - 1]!);
    expect(formatRetrySchedule(DEFAULT_RETRY_SCHEDULE)).toBe('1m,3m,7m,15m,30m,1h,2h');
  });

  it('jitters every delay within 20 % of the schedule and stops after the last attempt', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 86_400_000 }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (schedule, r) => {
          schedule.forEach((base, i) => {
            const d = retryDelayMs(schedule, i + 1, () => r)!;
            expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - RETRY_JITTER)));
            expect(d).toBeLessThanOrEqual(Math.ceil(base * (1 + RETRY_JITTER)));
          });
          expect(retryDelayMs(schedule, schedule.length + 1, () => r)).toBeUndefined();
        },
      ),
    );
  });

  it('spreads the rows an outage failed together instead of bringing them back in the same second', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(DEFAULT_RETRY_SCHEDULE, 1)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it('reads durations in ms, s, m and h, and names the entry it cannot read', () => {
    expect(parseRetrySchedule('500ms,30s,5m,2h')).toEqual([500, 30_000, 300_000, 7_200_000]);
    expect(() => parseRetrySchedule('1m,soon')).toThrow('entry 2 ("soon") is not a duration');
    expect(() => parseRetrySchedule('200h')).toThrow('entry 1 ("200h") is longer than 7 days');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 168 }), { minLength: 1, maxLength: 20 }), (hours) => {
        const schedule = hours.map((h) => h * 3_600_000);
        expect(parseRetrySchedule(formatRetrySchedule(schedule))).toEqual(schedule);
      }),
    );
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { loopPasses } from './passes.js';

afterEach(() => vi.useRealTimers());

/** Moves the fake clock on by `ms`, a millisecond at a time, letting each pass's promises settle on the way. */
async function elapse(ms: number) {
  for (let i = 0; i < ms; i++) await vi.advanceTimersByTimeAsync(1);
}

describe('loopPasses', () => {
  it('runs the next pass at once while work waits and after the interval otherwise; a failed pass does not end it', async () => {
    vi.useFakeTimers();
    const answers = [true, true, false, 'fail', false];
    const failed: unknown[] = [];
    let passes = 0;
    const loop = loopPasses(
      async () => {
        const a = answers[passes++];
        if (a === 'fail') throw new Error('boom');
        return a === true;
      },
      1_000,
      (e) => failed.push(e),
    );
    await elapse(10);
    expect(passes).toBe(3); // two answered "more", so their next passes came at once
    await elapse(980);
    expect(passes).toBe(3);
    await elapse(20);
    expect(passes).toBe(4);
    expect(failed).toEqual([new Error('boom')]);
    await elapse(1_000);
    expect(passes).toBe(5);
    await loop.stop();
    await elapse(3_000);
    expect(passes).toBe(5);
  });

  it('stop waits for the pass under way, and no pass starts after it', async () => {
    let finish = () => {};
    let passes = 0;
    const loop = loopPasses(
      () => {
        passes++;
        return new Promise<boolean>((resolve) => {
          finish = () => resolve(true);
        });
      },
      1_000,
      () => {},
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(passes).toBe(1);
    let stopped = false;
    const stopping = loop.stop().then(() => void (stopped = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await new Promise((r) => setTimeout(r, 10));
    expect(passes).toBe(1);
  });
});

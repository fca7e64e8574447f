/** A background loop that a clean stop can wait for. */
export interface Loop {
  /** Ends the loop, once the pass under way (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` in a loop, never two at once: the first pass at once, each next one `intervalMs` after the last ended,
 * or at once when the last answered true (more work waits). A pass that throws goes to `failed`, and the loop goes on.
 */
export function loopPasses(pass: () => Promise<boolean>, intervalMs: number, failed: (e: unknown) => void): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    let more = false;
    running = pass()
      .then((m) => void (more = m))
      .catch(failed)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, more ? 0 : intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

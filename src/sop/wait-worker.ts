/**
 * Waiting runs go on by themselves, without anyone reading them: a loop per process that, as soon as events commit (the
 * live events) and on a poll (for deadlines), finds the runs waiting at a wait step whose event may have come or whose
 * deadline passed, and advances each exactly as a read does (`SopEngine.view`). A run is claimed first, so of several
 * processes one advances it; the runs the AI agent leads are left to its turns, which advance them and tell the
 * customer. What to look at is read from the runs and the timeline, so a restart loses nothing.
 */
import { subscribeEvents, type EventSubscription } from '../app/live/live-events.js';
import { readHorizon, START, timelineCursor, type ReadCursor } from '../db/repo/event-cursor.js';
import { claimWaitingRun, findWaitsToAdvance } from '../db/repo/sop-runs.js';
import { isDomainError } from '../kernel/errors.js';
import type { SopEngine } from './engine.js';

export interface WaitPass {
  /** Where the pass looked at the timeline up to (a read cursor): the next pass looks after it. */
  checked: ReadCursor;
  /** The runs that left their wait step. */
  advanced: string[];
}

/**
 * One pass: advances the waiting runs whose event may be among the events after the cursor `after` (those committed
 * since the last pass looked, whatever their seq), or whose deadline passed. `leaveToAi`: the AI agent is on, so the
 * runs it leads are its own.
 */
export async function advanceWaits(engine: SopEngine, q: { after: ReadCursor; leaveToAi: boolean }): Promise<WaitPass> {
  const { ctx } = engine.deps;
  const db = ctx.database.db;
  const upTo = await timelineCursor(db, await readHorizon(db));
  const due = await findWaitsToAdvance(db, { ...q, upTo, now: ctx.clock.now() });
  const advanced: string[] = [];
  for (const r of due) {
    if (!(await claimWaitingRun(db, r.id, r.revision))) continue; // another process has it
    try {
      const run = await engine.view(r.id);
      if (run.status !== 'waiting' || run.current?.stepId !== r.stepId) advanced.push(r.id);
    } catch (e) {
      // A person moved it on meanwhile: it is theirs. Any other fault is this run's alone; the others go on.
      if (!(isDomainError(e) && e.details.reason === 'sop_run_changed'))
        console.error(`sopdesk waits: run ${r.id} could not go on:`, e);
    }
  }
  return { checked: upTo, advanced };
}

/** Passes after every commit of events (coalesced while one runs) and every `pollMs`; the first looks at every wait. */
export function startWaitWorker(
  engine: SopEngine,
  opts: { pollMs: number; leaveToAi: boolean },
): { stop(): Promise<void> } {
  let checked = START;
  let stopped = false;
  let busy = false;
  let wanted = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    clearTimeout(timer);
    if (stopped) return;
    if (busy) return void (wanted = true);
    busy = true;
    wanted = false;
    running = advanceWaits(engine, { after: checked, leaveToAi: opts.leaveToAi })
      .then((r) => void (checked = r.checked))
      // Looked at again next time: `checked` stays.
      .catch((e: unknown) => console.error('sopdesk waits: pass failed:', e))
      .finally(() => {
        busy = false;
        if (!stopped) timer = setTimeout(pass, wanted ? 0 : opts.pollMs);
      });
  };
  const subscribed: Promise<EventSubscription | undefined> = subscribeEvents(engine.deps.ctx, {
    filter: {},
    // An event that commits after one with a later seq was looked at is after `checked` all the same.
    onEvent: pass,
    onReset: pass,
    onEnd: () => {},
  }).catch((e: unknown) => {
    console.error('sopdesk waits: live events unavailable, polling only:', e);
    return undefined;
  });
  timer = setTimeout(pass, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      (await subscribed)?.close();
      await running;
    },
  };
}

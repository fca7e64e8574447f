/**
 * The AI agent's background work: a loop per process that finds conversations with customer messages no turn has
 * read, or whose run moved on without the customer (an approval was decided) (src/db/repo/ai.ts), and runs a turn on
 * each. Nothing is queued in memory: what is to be answered is read from the messages and the runs themselves, so a
 * restart loses nothing, and the turn lease keeps two processes off one conversation.
 */
import { findConversationsToAnswer } from '../db/repo/ai.js';
import { runTurn, type AgentDeps, type TurnResult } from './turn.js';

/** One pass: a turn on each conversation waiting for the AI. */
export async function answerPending(deps: AgentDeps, limit = 20): Promise<TurnResult[]> {
  const ids = await findConversationsToAnswer(deps.ctx.database.db, deps.ctx.clock.now(), deps.channels, limit);
  const done: TurnResult[] = [];
  for (const id of ids) {
    const r = await runTurn(deps, id);
    if (r) done.push(r);
  }
  return done;
}

export function startAiWorker(deps: AgentDeps, pollMs: number): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    let busy = false;
    running = answerPending(deps)
      .then((r) => void (busy = r.length > 0))
      .catch((e: unknown) => console.error('sopdesk ai: pass failed:', e))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, busy ? 0 : pollMs);
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

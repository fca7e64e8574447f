/**
 * The AI agent's background work: a loop per process that finds conversations with customer messages no turn has
 * read, or whose run moved on without the customer (an approval was decided) (src/db/repo/ai.ts), and runs a turn on
 * each. Nothing is queued in memory: what is to be answered is read from the messages and the runs themselves, so a
 * restart loses nothing, and the turn lease keeps two processes off one conversation.
 */
import { findConversationsToAnswer } from '../db/repo/ai.js';
import { type Loop, loopPasses } from '../kernel/passes.js';
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

export function startAiWorker(deps: AgentDeps, pollMs: number): Loop {
  return loopPasses(
    async () => (await answerPending(deps)).length > 0,
    pollMs,
    (e) => console.error('sopdesk ai: pass failed:', e),
  );
}

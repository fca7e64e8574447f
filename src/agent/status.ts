/** What the API and the inbox show of the AI agent: whether it is on (and how to turn it on), and each turn's trace. */
import { z } from 'zod';
import type { AppContext, WriteOptions } from '../app/context.js';
import { lockExisting } from '../app/inbox/conversation-writes.js';
import { write } from '../app/write.js';
import type { Executor } from '../db/database.js';
import { findAiConversation, findAiTurns, setAiPaused } from '../db/repo/ai.js';
import { findConversation } from '../db/repo/inbox.js';
import { notFound } from '../kernel/errors.js';
import { HOW_TO_ENABLE, type AiConfig } from './config.js';
import { TraceEntry } from './trace.js';

export const AiStatusOut = z.object({
  enabled: z.boolean().describe('True when a model is configured and the AI agent answers conversations'),
  provider: z.string().nullable().describe('openai, anthropic or openai-compatible'),
  model: z.string().nullable().describe('The model name'),
  baseUrl: z.string().nullable().describe('Where the model is called (never the key)'),
  channels: z.array(z.string()).describe('Channels whose new conversations the AI answers without being assigned'),
  verifiedChannels: z.array(z.string()).describe('Channels that verify who writes'),
  budgets: z
    .object({
      turnModelCalls: z.number().int(),
      turnTokens: z.number().int(),
      turnMs: z.number().int(),
      callTimeoutMs: z.number().int(),
      conversationModelCalls: z.number().int(),
      conversationTokens: z.number().int(),
      attempts: z.number().int(),
      retryDelayMs: z.number().int(),
      reasks: z.number().int().describe("Times one step's question is asked again before a person takes over"),
    })
    .nullable()
    .describe('Limits per turn and per conversation'),
  howToEnable: z.string().describe('What to set to turn the AI agent on'),
});
export type AiStatus = z.infer<typeof AiStatusOut>;

export function aiStatus(config: AiConfig | undefined): AiStatus {
  return {
    enabled: config !== undefined,
    provider: config?.provider ?? null,
    model: config?.model ?? null,
    baseUrl: config?.baseUrl ?? null,
    channels: config?.channels ?? [],
    verifiedChannels: config?.verifiedChannels ?? [],
    budgets: config?.budgets ?? null,
    howToEnable: HOW_TO_ENABLE,
  };
}

export const AiTurnOut = z.object({
  id: z.string().describe('Turn id (turn_…)'),
  conversationId: z.string(),
  runId: z.string().nullable().describe('The SOP run the turn drove'),
  outcome: z.string().describe('replied, waiting, handed_off, stopped or completed'),
  stepBefore: z.string().nullable().describe('The step the run was on when the turn began'),
  stepAfter: z.string().nullable().describe('The step it was on when the turn ended'),
  messageIds: z.array(z.string()).describe('The customer messages the turn read'),
  modelCalls: z.number().int(),
  tokens: z.number().int(),
  durationMs: z.number().int(),
  trace: z.array(TraceEntry).describe('What happened, in order'),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export const AiTurnsOut = z.object({
  paused: z.boolean().describe('A person paused the AI on this conversation'),
  turns: z.array(AiTurnOut).describe('Newest first'),
});
export type AiTurns = z.infer<typeof AiTurnsOut>;

export async function listAiTurns(ctx: AppContext, conversationId: string, limit = 50): Promise<AiTurns> {
  const db = ctx.database.db;
  if (!(await findConversation(db, conversationId))) throw notFound('conversation', conversationId);
  return readAiTurns(db, conversationId, limit);
}

async function readAiTurns(ex: Executor, conversationId: string, limit = 50): Promise<AiTurns> {
  const [standing, turns] = await Promise.all([
    findAiConversation(ex, conversationId),
    findAiTurns(ex, conversationId, limit),
  ]);
  return { paused: standing?.paused ?? false, turns: turns.map((t) => ({ ...t, trace: t.trace as TraceEntry[] })) };
}

/**
 * Pauses (or resumes) the AI on a conversation: a turn in flight does nothing more once it sees it. A change is
 * recorded on the customer's timeline as `conversation.ai_paused` / `conversation.ai_resumed` with the person who made
 * it; pausing a paused conversation (or resuming a running one) changes nothing and records nothing.
 */
export async function pauseAi(
  ctx: AppContext,
  conversationId: string,
  paused: boolean,
  opts: WriteOptions,
): Promise<AiTurns> {
  return write(ctx, paused ? 'pause_ai' : 'resume_ai', { conversationId }, opts, async (scope) => {
    const c = await lockExisting(scope.tx, conversationId);
    const was = (await findAiConversation(scope.tx, c.id))?.paused ?? false;
    if (was !== paused) {
      await setAiPaused(scope.tx, c.id, paused, scope.now);
      await scope.record({
        type: paused ? 'conversation.ai_paused' : 'conversation.ai_resumed',
        customerId: c.customerId,
        data: { conversationId: c.id, by: scope.actor.id ?? null },
      });
    }
    return readAiTurns(scope.tx, c.id);
  });
}

const configs = new WeakMap<AppContext, AiConfig>();

/** Registers the AI settings the server started with (the composition root calls it when AI is on). */
export function registerAiConfig(ctx: AppContext, config: AiConfig): void {
  configs.set(ctx, config);
}

export function aiConfigFor(ctx: AppContext): AiConfig | undefined {
  return configs.get(ctx);
}

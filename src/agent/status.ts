/** What the API and the inbox show of the AI agent: whether it is on (and how to turn it on), and each turn's trace. */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
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
  const [standing, turns] = await Promise.all([
    findAiConversation(db, conversationId),
    findAiTurns(db, conversationId, limit),
  ]);
  return { paused: standing?.paused ?? false, turns: turns.map((t) => ({ ...t, trace: t.trace as TraceEntry[] })) };
}

/** Pauses (or resumes) the AI on a conversation: a turn in flight does nothing more once it sees it. */
export async function pauseAi(ctx: AppContext, conversationId: string, paused: boolean): Promise<AiTurns> {
  const db = ctx.database.db;
  if (!(await findConversation(db, conversationId))) throw notFound('conversation', conversationId);
  await setAiPaused(db, conversationId, paused, ctx.clock.now());
  return listAiTurns(ctx, conversationId);
}

const configs = new WeakMap<AppContext, AiConfig>();

/** Registers the AI settings the server started with (the composition root calls it when AI is on). */
export function registerAiConfig(ctx: AppContext, config: AiConfig): void {
  configs.set(ctx, config);
}

export function aiConfigFor(ctx: AppContext): AiConfig | undefined {
  return configs.get(ctx);
}

/**
 * One decision of the model: a closed set of tools, exactly one of which it must call. Every attempt is traced
 * and counted against the budgets; a timeout, a 429, a malformed call, a tool that was not offered or a text
 * for the customer that names internal ids or tools is retried, and after the last attempt the turn hands the
 * conversation to a person (`ModelGaveUp`).
 */
import { generateText, type LanguageModel, type ToolSet, tool } from 'ai';
import type { z } from 'zod';
import type { AiBudgets } from './config.js';
import { redact, type TraceEntry } from './trace.js';

export interface Choice {
  description: string;
  input: z.ZodType;
  /** Fields of the input (texts, or lists of texts) that go to the customer: they must not name internal ids or tools. */
  customerText?: readonly string[];
}

export interface Decision {
  tool: string;
  input: Record<string, unknown>;
}

/** What a turn has spent, and what it and its conversation may still spend. */
export interface Spend {
  modelCalls: number;
  tokens: number;
  startedAt: number;
  /** Already spent on the conversation before this turn. */
  conversationModelCalls: number;
  conversationTokens: number;
}

export class ModelGaveUp extends Error {
  constructor(
    message: string,
    readonly why: 'budget' | 'misbehaved',
  ) {
    super(message);
  }
}

export interface DecideDeps {
  model: LanguageModel;
  budgets: AiBudgets;
  spend: Spend;
  trace: TraceEntry[];
  /** Names that must never reach a customer (the catalogue's tool names). */
  internalNames: ReadonlySet<string>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Internal ids (ord_…, cus_…, li_…) and tool names in a text meant for the customer. */
export function leaksInternals(text: string, names: ReadonlySet<string>): string | undefined {
  const id = /\b(ord|cus|li|ret|rfd|txn|pkg|run|cnv|msg|hof|prod|var|pm|evt|obx|tok|exc|code|turn)_[0-9a-z]{8,}\b/.exec(
    text,
  );
  if (id) return `the internal id ${id[0]}`;
  for (const w of text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? []) if (names.has(w)) return `the tool name ${w}`;
  return undefined;
}

function overBudget(d: DecideDeps): string | undefined {
  const { budgets: b, spend: s } = d;
  if (s.modelCalls >= b.turnModelCalls) return `the turn used its ${b.turnModelCalls} model calls`;
  if (s.tokens >= b.turnTokens) return `the turn used its ${b.turnTokens} tokens`;
  if (d.now() - s.startedAt >= b.turnMs) return `the turn ran past ${b.turnMs} ms`;
  if (s.conversationModelCalls + s.modelCalls >= b.conversationModelCalls)
    return `the conversation used its ${b.conversationModelCalls} model calls`;
  if (s.conversationTokens + s.tokens >= b.conversationTokens)
    return `the conversation used its ${b.conversationTokens} tokens`;
  return undefined;
}

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const status = (e as { statusCode?: number }).statusCode;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
    return `${status ? `HTTP ${status}: ` : ''}${e.name}: ${e.message}`.slice(0, 300);
  }
  return String(e).slice(0, 300);
}

export async function decide(
  d: DecideDeps,
  purpose: string,
  prompt: { system: string; user: string },
  choices: Record<string, Choice>,
): Promise<Decision> {
  const tools: ToolSet = Object.fromEntries(
    Object.entries(choices).map(([name, c]) => [name, tool({ description: c.description, inputSchema: c.input })]),
  );
  const offered = Object.keys(choices);
  const shown = redact(`${prompt.system}\n---\n${prompt.user}`);
  let lastProblem = 'no attempt was made';
  for (let attempt = 1; attempt <= d.budgets.attempts; attempt++) {
    const over = overBudget(d);
    if (over) throw new ModelGaveUp(`The AI stopped: ${over}.`, 'budget');
    if (attempt > 1) await d.sleep(d.budgets.retryDelayMs * 2 ** (attempt - 2));
    const t0 = d.now();
    d.spend.modelCalls++;
    const entry = {
      type: 'model_call' as const,
      purpose,
      attempt,
      shown,
      tools: offered,
      latencyMs: 0,
      inputTokens: 0,
      outputTokens: 0,
    };
    try {
      const r = await generateText({
        model: d.model,
        system: prompt.system,
        prompt: prompt.user,
        tools,
        toolChoice: 'required',
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(d.budgets.callTimeoutMs),
      });
      entry.latencyMs = Math.round(d.now() - t0);
      entry.inputTokens = r.usage.inputTokens ?? 0;
      entry.outputTokens = r.usage.outputTokens ?? 0;
      d.spend.tokens += r.usage.totalTokens ?? entry.inputTokens + entry.outputTokens;
      const calls = r.toolCalls;
      const call = calls.find((c) => !c.invalid && offered.includes(c.toolName));
      if (!call) {
        const first = calls[0];
        lastProblem = first
          ? offered.includes(first.toolName)
            ? `called ${first.toolName} with arguments that do not fit its schema`
            : `called ${first.toolName}, which was not offered`
          : 'answered without calling one of the offered tools';
        d.trace.push({ ...entry, outcome: lastProblem, ok: false });
        continue;
      }
      const input = (call.input ?? {}) as Record<string, unknown>;
      const leak = (choices[call.toolName]!.customerText ?? [])
        .flatMap((f) => [input[f]].flat())
        .map((t) => (typeof t === 'string' ? leaksInternals(t, d.internalNames) : undefined))
        .find(Boolean);
      if (leak) {
        lastProblem = `wrote ${leak} in a text for the customer`;
        d.trace.push({ ...entry, outcome: lastProblem, ok: false });
        continue;
      }
      d.trace.push({ ...entry, outcome: redact(`${call.toolName} ${JSON.stringify(input)}`), ok: true });
      return { tool: call.toolName, input };
    } catch (e) {
      entry.latencyMs = Math.round(d.now() - t0);
      lastProblem = describeError(e);
      d.trace.push({ ...entry, outcome: lastProblem, ok: false });
    }
  }
  throw new ModelGaveUp(
    `The AI model failed ${d.budgets.attempts} times in a row (${purpose}); last: ${lastProblem}.`,
    'misbehaved',
  );
}

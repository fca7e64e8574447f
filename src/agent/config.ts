/** The AI agent's settings, from the environment (docs/ai-agent.md). No provider set = no AI agent. */
export const AI_PROVIDERS = ['openai', 'anthropic', 'openai-compatible'] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

export interface AiBudgets {
  /** Model calls one turn may make (retries included). */
  turnModelCalls: number;
  /** Tokens (prompt + completion) one turn may spend. */
  turnTokens: number;
  /** Wall time of one turn, in ms. */
  turnMs: number;
  /** One model call's time limit, in ms (a call past it is a timeout, retried within the budget). */
  callTimeoutMs: number;
  /** Model calls and tokens over a whole conversation. */
  conversationModelCalls: number;
  conversationTokens: number;
  /** Attempts of one decision before the conversation goes to a person (a 429, a timeout, a malformed answer). */
  attempts: number;
  /** Wait before a retry, in ms (doubled each time). */
  retryDelayMs: number;
  /**
   * Times the AI asks one step's question again — the customer wrote without answering it, or gave an answer the
   * step refuses — before a person takes over (the conversation is handed off with the reason).
   */
  reasks: number;
}

export const DEFAULT_BUDGETS: AiBudgets = {
  turnModelCalls: 8,
  turnTokens: 40_000,
  turnMs: 90_000,
  callTimeoutMs: 30_000,
  conversationModelCalls: 80,
  conversationTokens: 400_000,
  attempts: 3,
  retryDelayMs: 500,
  reasks: 3,
};

export interface AiConfig {
  provider: AiProvider;
  model: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
  /** Channels whose new conversations the AI answers without being assigned (SOPDESK_AI_CHANNELS). */
  channels: string[];
  /** Channels that verified who writes (SOPDESK_AI_VERIFIED_CHANNELS): there the AI skips the procedure's identity questions. */
  verifiedChannels: string[];
  budgets: AiBudgets;
  /** How often the worker looks for conversations to answer, in ms. */
  pollMs: number;
}

export const HOW_TO_ENABLE =
  'Set SOPDESK_AI_PROVIDER (openai, anthropic or openai-compatible) and SOPDESK_AI_MODEL, plus SOPDESK_AI_API_KEY ' +
  '(and SOPDESK_AI_BASE_URL for an OpenAI-compatible server such as Ollama: http://localhost:11434/v1), then restart. ' +
  'See docs/ai-agent.md.';

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const BUDGET_ENV: Record<keyof AiBudgets, string> = {
  turnModelCalls: 'SOPDESK_AI_TURN_MODEL_CALLS',
  turnTokens: 'SOPDESK_AI_TURN_TOKENS',
  turnMs: 'SOPDESK_AI_TURN_MS',
  callTimeoutMs: 'SOPDESK_AI_CALL_TIMEOUT_MS',
  conversationModelCalls: 'SOPDESK_AI_CONVERSATION_MODEL_CALLS',
  conversationTokens: 'SOPDESK_AI_CONVERSATION_TOKENS',
  attempts: 'SOPDESK_AI_ATTEMPTS',
  retryDelayMs: 'SOPDESK_AI_RETRY_DELAY_MS',
  reasks: 'SOPDESK_AI_REASKS',
};

/** A whole number of zero or more, as written in an environment variable; undefined when it is not one. */
function count(raw: string): number | undefined {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The AI settings, or undefined when SOPDESK_AI_PROVIDER is unset. A half or wrong setting is an error that says which. */
export function readAiConfig(env: NodeJS.ProcessEnv): AiConfig | undefined {
  const provider = env.SOPDESK_AI_PROVIDER?.trim();
  if (!provider) return undefined;
  if (!(AI_PROVIDERS as readonly string[]).includes(provider))
    throw new Error(`SOPDESK_AI_PROVIDER must be one of ${AI_PROVIDERS.join(', ')}, got "${provider}"`);
  const model = env.SOPDESK_AI_MODEL?.trim();
  if (!model) throw new Error('SOPDESK_AI_MODEL must name the model, e.g. gpt-4o-mini or llama3.1');
  const baseUrl = env.SOPDESK_AI_BASE_URL?.trim() || undefined;
  if (provider === 'openai-compatible' && !baseUrl)
    throw new Error(
      'SOPDESK_AI_BASE_URL is required with openai-compatible, e.g. http://localhost:11434/v1 for Ollama',
    );
  if (baseUrl && !/^https?:\/\//.test(baseUrl))
    throw new Error(`SOPDESK_AI_BASE_URL must be an http(s) URL, got "${baseUrl}"`);
  const budgets = { ...DEFAULT_BUDGETS };
  for (const [key, name] of Object.entries(BUDGET_ENV) as [keyof AiBudgets, string][]) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = count(raw);
    if (parsed === undefined) throw new Error(`${name} must be a whole number, got "${raw}"`);
    budgets[key] = parsed;
  }
  const pollMs = count(env.SOPDESK_AI_POLL_MS ?? '500');
  if (pollMs === undefined) throw new Error('SOPDESK_AI_POLL_MS must be a whole number of milliseconds');
  return {
    provider: provider as AiProvider,
    model,
    baseUrl,
    apiKey: env.SOPDESK_AI_API_KEY?.trim() || undefined,
    channels: list(env.SOPDESK_AI_CHANNELS),
    verifiedChannels: list(env.SOPDESK_AI_VERIFIED_CHANNELS),
    budgets,
    pollMs,
  };
}

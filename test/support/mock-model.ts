/** The AI SDK's mock language model answering each call with the next scripted tool call, at zero latency. */
import type { LanguageModelV3GenerateResult } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';

export interface ScriptedModel {
  model: MockLanguageModelV3;
  queue(...calls: { tool: string; args?: Record<string, unknown> }[]): void;
}

export function toolCallResult(tool: string, args: Record<string, unknown> = {}): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: tool, input: JSON.stringify(args) }],
    finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
    usage: {
      inputTokens: { total: 100, noCache: 100, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 10, text: 10, reasoning: undefined },
    },
    warnings: [],
  };
}

export function scriptedModel(): ScriptedModel {
  const queued: { tool: string; args?: Record<string, unknown> }[] = [];
  const model = new MockLanguageModelV3({
    doGenerate: async () => {
      const next = queued.shift();
      if (!next) throw new Error('the scripted model has no reply left');
      return toolCallResult(next.tool, next.args);
    },
  });
  return { model, queue: (...calls) => void queued.push(...calls) };
}

/**
 * The language model, provider-neutral through the AI SDK: a `LanguageModel` is the port. Built from the config
 * here; tests pass the SDK's mock model or a real provider client pointed at a fake server.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { AiConfig } from './config.js';

export function createModel(c: Pick<AiConfig, 'provider' | 'model' | 'baseUrl' | 'apiKey'>): LanguageModel {
  const common = { ...(c.apiKey ? { apiKey: c.apiKey } : {}), ...(c.baseUrl ? { baseURL: c.baseUrl } : {}) };
  switch (c.provider) {
    case 'openai':
      // Chat Completions: the API every OpenAI-compatible gateway also speaks.
      return createOpenAI(common).chat(c.model);
    case 'anthropic':
      return createAnthropic(common)(c.model);
    case 'openai-compatible':
      return createOpenAICompatible({ name: 'openai-compatible', baseURL: c.baseUrl!, ...common })(c.model);
  }
}

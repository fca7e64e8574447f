import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGETS, readAiConfig } from './config.js';

describe('the AI settings', () => {
  it('unset provider: no AI', () => {
    expect(readAiConfig({})).toBeUndefined();
  });

  it('reads provider, model, base URL, channels and budgets', () => {
    const c = readAiConfig({
      SOPDESK_AI_PROVIDER: 'openai-compatible',
      SOPDESK_AI_MODEL: 'llama3.1',
      SOPDESK_AI_BASE_URL: 'http://localhost:11434/v1',
      SOPDESK_AI_CHANNELS: 'chat, web',
      SOPDESK_AI_TURN_MODEL_CALLS: '4',
    });
    expect(c).toMatchObject({
      provider: 'openai-compatible',
      model: 'llama3.1',
      baseUrl: 'http://localhost:11434/v1',
      channels: ['chat', 'web'],
      budgets: { ...DEFAULT_BUDGETS, turnModelCalls: 4 },
    });
  });

  it('a half or wrong setting says which variable to fix', () => {
    expect(() => readAiConfig({ SOPDESK_AI_PROVIDER: 'gemini' })).toThrow(/SOPDESK_AI_PROVIDER must be one of/);
    expect(() => readAiConfig({ SOPDESK_AI_PROVIDER: 'openai' })).toThrow(/SOPDESK_AI_MODEL/);
    expect(() => readAiConfig({ SOPDESK_AI_PROVIDER: 'openai-compatible', SOPDESK_AI_MODEL: 'x' })).toThrow(
      /SOPDESK_AI_BASE_URL is required/,
    );
    expect(() =>
      readAiConfig({ SOPDESK_AI_PROVIDER: 'openai', SOPDESK_AI_MODEL: 'x', SOPDESK_AI_TURN_TOKENS: 'lots' }),
    ).toThrow(/SOPDESK_AI_TURN_TOKENS must be a whole number/);
  });
});

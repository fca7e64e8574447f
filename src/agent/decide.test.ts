import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from '../../test/support/mock-model.js';
import { DEFAULT_BUDGETS } from './config.js';
import { decide, leaksInternals, ModelGaveUp, type DecideDeps } from './decide.js';
import type { TraceEntry } from './trace.js';
import { redact } from './trace.js';

const choices = {
  ask_customer: { description: 'ask', input: z.object({ question: z.string() }), customerText: ['question'] },
  hand_off: { description: 'hand off', input: z.object({ reason: z.string() }) },
};

function deps(model: DecideDeps['model'], budgets = {}): DecideDeps & { trace: TraceEntry[] } {
  return {
    model,
    budgets: { ...DEFAULT_BUDGETS, retryDelayMs: 0, ...budgets },
    spend: { modelCalls: 0, tokens: 0, startedAt: 0, conversationModelCalls: 0, conversationTokens: 0 },
    trace: [],
    internalNames: new Set(['refund_order', 'initiate_return']),
    now: () => 0,
    sleep: async () => {},
  };
}

describe('one decision of the model', () => {
  it('answers the tool called and traces the call with its tokens', async () => {
    const m = scriptedModel();
    m.queue({ tool: 'ask_customer', args: { question: 'Which order?' } });
    const d = deps(m.model);
    expect(await decide(d, 'test', { system: 's', user: 'u' }, choices)).toEqual({
      tool: 'ask_customer',
      input: { question: 'Which order?' },
    });
    expect(d.trace).toMatchObject([{ type: 'model_call', ok: true, inputTokens: 100, outputTokens: 10 }]);
    // Only the offered tools reach the model, and it must call one.
    const call = m.model.doGenerateCalls[0]!;
    expect(call.tools?.map((t) => t.name)).toEqual(['ask_customer', 'hand_off']);
    expect(call.toolChoice).toEqual({ type: 'required' });
  });

  it('a tool not offered and a text naming an internal id are retried; then it gives up', async () => {
    const m = scriptedModel();
    m.queue(
      { tool: 'refund_order', args: { amount: 100000 } },
      { tool: 'ask_customer', args: { question: 'Is it ord_01abcdefghjk?' } },
      { tool: 'ask_customer', args: { question: 'Shall I run refund_order?' } },
    );
    const d = deps(m.model);
    await expect(decide(d, 'test', { system: 's', user: 'u' }, choices)).rejects.toBeInstanceOf(ModelGaveUp);
    expect(d.trace.map((e) => e.type === 'model_call' && e.outcome)).toEqual([
      'called refund_order, which was not offered',
      'wrote the internal id ord_01abcdefghjk in a text for the customer',
      'wrote the tool name refund_order in a text for the customer',
    ]);
  });

  it('stops at the turn and conversation budgets before calling the model', async () => {
    const m = scriptedModel();
    const d = deps(m.model, { turnModelCalls: 1 });
    d.spend.modelCalls = 1;
    await expect(decide(d, 'test', { system: 's', user: 'u' }, choices)).rejects.toThrow(/used its 1 model calls/);
    const c = deps(m.model, { conversationTokens: 500 });
    c.spend.conversationTokens = 500;
    await expect(decide(c, 'test', { system: 's', user: 'u' }, choices)).rejects.toThrow(
      /conversation used its 500 tokens/,
    );
    expect(m.model.doGenerateCalls).toHaveLength(0);
  });
});

describe('texts for customers and traces', () => {
  it('internal ids and tool names are caught; ordinary words are not', () => {
    expect(leaksInternals('Your order #1001 ships today', new Set(['refund_order']))).toBeUndefined();
    expect(leaksInternals('see li_abcdefgh12', new Set())).toBe('the internal id li_abcdefgh12');
  });

  it('secrets are redacted from what the trace keeps', () => {
    expect(redact('key sk-abcdefghijklmnop and card 4242 4242 4242 4242, password: hunter2')).toBe(
      'key [redacted key] and card [redacted number], password [redacted]',
    );
  });
});

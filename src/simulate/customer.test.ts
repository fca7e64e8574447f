import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeOpenAI, startFakeOpenAI } from '../../test/support/fake-openai.js';
import { modelCustomer } from './customer.js';
import { parseSimulation } from './format.js';

let fake: FakeOpenAI;
afterEach(async () => fake?.close());

const SIM = parseSimulation(
  `name: n
persona: Mo, impatient
goal: "return the lamp of #1001"
customer: cus_mo000001
store: demo
opening: return please
facts:
  - { when: email, say: mo@example.com }
behaviour: Short answers.
success: {}
`,
  'x.yaml',
  'x',
).simulation!;

describe('a customer played by a model', () => {
  it('is told its persona, goal, behaviour and facts, reads the agent as the other side, and stops on DONE', async () => {
    fake = await startFakeOpenAI();
    const model = createOpenAICompatible({ name: 'sim', baseURL: fake.url, apiKey: 'sk-test-not-a-real-key' })('cheap');
    const customer = modelCustomer(SIM, model);
    fake.queue({ text: 'mo@example.com' }, { text: 'DONE' });
    const history = [
      { from: 'customer' as const, text: 'return please' },
      { from: 'agent' as const, text: 'What is your email?' },
    ];
    expect(await customer.reply(history)).toBe('mo@example.com');
    const req = fake.requests[0]!;
    expect(req.model).toBe('cheap');
    expect(req.messages[0]).toMatchObject({ role: 'system' });
    for (const part of [
      'Mo, impatient',
      'return the lamp of #1001',
      'Short answers.',
      'asked about email: mo@example.com',
    ])
      expect(req.text).toContain(part);
    // The agent's messages are the model's user turns; the customer's own are its assistant turns.
    expect(req.messages.slice(1).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(await customer.reply(history)).toBeUndefined();
  });

  it('a provider error is thrown, for the trial to report', async () => {
    fake = await startFakeOpenAI();
    const model = createOpenAICompatible({ name: 'sim', baseURL: fake.url, apiKey: 'sk-test' })('cheap');
    fake.queue({ status: 500 });
    await expect(modelCustomer(SIM, model, 0).reply([{ from: 'agent', text: 'Hi?' }])).rejects.toThrow();
  });
});

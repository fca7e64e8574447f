/**
 * One customer message that answers several questions fills every step it answers, end to end through the fake
 * OpenAI server: the model reads the answers to the questions not asked yet; the code submits each when the run
 * reaches its step, validated by that step, and asks again for one that fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

describe('one message, several answers', () => {
  it(
    'the first message names the email and the order: both steps are filled, with no model call of their own',
    async () => {
      h = await agentHarness();
      h.fake.queue({
        tool: 'start_procedure',
        args: { sopId: 'cancel-or-refund-order', answers: { email: 'mo@example.com', order: '#1006' } },
      });
      const reply = await h.exchange('Please cancel my order #1006, my email is mo@example.com');
      expect(reply).toBe(
        'Order #1006 has not been paid, so there is nothing to refund; I can cancel it for you.\n\nWhy is the order being canceled?',
      );
      expect(h.fake.requests).toHaveLength(1);
      // The model was told each procedure's questions.
      expect(h.fake.requests[0]!.text).toContain('order: "Which order is it (for example #1001)?"');
    },
    SLOW,
  );

  it(
    'an answer to the email question that also gives the order and the item fills those steps; the item is read against the order lines',
    async () => {
      h = await agentHarness();
      h.fake.queue({ tool: 'start_procedure', args: { sopId: 'handling-returns' } });
      await h.exchange('I want to return something');
      h.fake.queue(
        {
          tool: 'record_answer',
          args: { value: 'mo@example.com', also: { knowsOrder: true, order: '#1001', items: 'the desk lamp' } },
        },
        { tool: 'record_answer', args: { value: [{ itemId: 'li_deliv0001', quantity: 1 }] } },
      );
      expect(await h.exchange('mo@example.com — it is order #1001, the desk lamp')).toBe(
        'Why are you returning the items?',
      );
      // The first call was offered the later questions; the second read the customer's words with the order's lines.
      expect(h.fake.requests[1]!.text).toContain('The procedure asks later:');
      expect(h.fake.requests[2]!.text).toContain('li_deliv0001: Desk lamp');
      expect(h.fake.requests[2]!.text).toContain('the desk lamp');
      const { turns } = await listAiTurns(h.ctx, h.conversationId());
      const run = await h.deps.engine.view(turns[0]!.runId!);
      expect(run.inputs).toMatchObject({
        email: 'mo@example.com',
        knowsOrder: true,
        items: [{ itemId: 'li_deliv0001', quantity: 1 }],
      });
      expect(run.current?.stepId).toBe('reason');
    },
    SLOW,
  );

  it(
    'an early answer is kept for the run: a later turn that reaches its step uses it, with no question asked',
    async () => {
      h = await agentHarness();
      h.fake.queue({
        tool: 'start_procedure',
        args: { sopId: 'cancel-or-refund-order', answers: { email: 'mo@example.com', cancelReason: 'customer' } },
      });
      expect(await h.exchange('Cancel my order please, I no longer need it. I am mo@example.com')).toBe(
        'Which order is it (for example #1001)?',
      );
      // The reason waits in the conversation's AI state, not in the turn that read it.
      h.fake.queue(
        { tool: 'record_answer', args: { value: '#1006' } },
        { tool: 'put_to_customer', args: { text: 'I can cancel order #1006.' } },
      );
      const reply = await h.exchange('#1006');
      expect(reply).not.toContain('Why is the order being canceled?');
      expect(reply).toContain('I can cancel order #1006.');
      const { turns } = await listAiTurns(h.ctx, h.conversationId());
      const run = await h.deps.engine.view(turns[0]!.runId!);
      expect(run.inputs).toMatchObject({ order: '#1006', cancelReason: 'customer' });
      expect(turns[0]!.trace).toContainEqual(
        expect.objectContaining({ stepId: 'cancel_reason', note: 'Answered earlier in the conversation.' }),
      );
    },
    SLOW,
  );

  it(
    'an early answer its step refuses is asked for again, and the ones before it stay filled',
    async () => {
      h = await agentHarness();
      h.fake.queue({ tool: 'start_procedure', args: { sopId: 'handling-returns' } });
      await h.exchange('return please');
      h.fake.queue({ tool: 'record_answer', args: { value: 'mo@example.com', also: { knowsOrder: 'maybe' } } });
      expect(await h.exchange('mo@example.com, maybe I have the number')).toBe(
        'Sorry, I could not use that answer.\n\nDo you have the order number?',
      );
      const { turns } = await listAiTurns(h.ctx, h.conversationId());
      expect(turns[0]!.stepAfter).toBe('knows_order');
    },
    SLOW,
  );
});

/**
 * More of the built-in procedures end to end through the fake OpenAI server (issue: in-transit items, the paid
 * cancel): the procedure decides, the model only reads the customer and puts the preview in words.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

const start = (sopId: string, answers: Record<string, unknown>) => ({
  tool: 'start_procedure',
  args: { sopId, answers },
});
const answer = (value: unknown) => ({ tool: 'record_answer', args: { value } });

describe('the built-in procedures through the AI agent', () => {
  it(
    'an item still in transit cannot be returned yet: the procedure says so and starts no return',
    async () => {
      h = await agentHarness();
      h.fake.queue(start('handling-returns', { email: 'mo@example.com', knowsOrder: true, order: '#1002' }));
      expect(await h.exchange('I want to return the lamp from order #1002, mo@example.com')).toBe(
        'Which items would you like to return, and how many of each?',
      );
      h.fake.queue(answer([{ itemId: 'li_trans0001', quantity: 1 }]));
      const reply = await h.exchange('the lamp');
      expect(reply).toContain('Still on its way, so it cannot be returned yet: Desk lamp');
      expect(reply).toContain('An item can be returned after it is delivered.');
      expect(reply).toContain('Are you happy with how your return has been handled?');
      expect(h.fake.requests).toHaveLength(2); // no model call decided anything about the package
      expect(await rows(h.ctx.database.db, sql`select id from returns`)).toEqual([]);
    },
    SLOW,
  );

  it(
    'a paid order not shipped yet is canceled and refunded in one step, after the customer agrees',
    async () => {
      h = await agentHarness();
      h.fake.queue(start('cancel-or-refund-order', { email: 'mo@example.com', order: '#1003' }));
      expect(await h.exchange('cancel order #1003 please, mo@example.com')).toBe('Why is the order being canceled?');
      h.fake.queue(answer('customer'), {
        tool: 'put_to_customer',
        args: { text: 'I will cancel order #1003 and refund $20.00 to your card.' },
      });
      const preview = await h.exchange('I found it cheaper elsewhere');
      expect(preview).toContain('I will cancel order #1003 and refund $20.00');
      // The model put into words what the dry run says: the refund is in the preview it was shown.
      expect(h.fake.requests.at(-1)!.text).toContain('$20.00');
      expect(await rows(h.ctx.database.db, sql`select id from refunds`)).toEqual([]);
      h.fake.queue({ tool: 'cancel_order', args: {} });
      expect(await h.exchange('yes')).toContain('Your order #1003 has been canceled (Canceled, Refunded).');
      const refunds = await rows<{ amount: number }>(
        h.ctx.database.db,
        sql`select amount::int as amount from refunds where order_id = 'ord_unshp0001'`,
      );
      expect(refunds).toEqual([{ amount: 2000 }]);
    },
    SLOW,
  );
});

describe('a customer who keeps writing without answering', () => {
  it(
    'is asked again up to the per-step limit, then a person takes over with the reason; the run stays at its step',
    async () => {
      h = await agentHarness({ budgets: { reasks: 2 } });
      h.fake.queue(start('handling-returns', {}));
      expect(await h.exchange('I want to return something')).toBe(
        'What is the email address registered on your account?',
      );
      const again = { tool: 'ask_customer', args: { question: 'I need your email to find your orders. What is it?' } };
      h.fake.queue(again);
      expect(await h.exchange('why do you need that')).toBe('I need your email to find your orders. What is it?');
      h.fake.queue(again);
      expect(await h.exchange('just do it')).toBe('I need your email to find your orders. What is it?');
      h.fake.queue(again);
      expect(await h.exchange('I said just do it!')).toBe(
        'I have passed your conversation to a colleague, who will reply here as soon as possible.',
      );
      const [handoff] = await rows<{ summary: string }>(h.ctx.database.db, sql`select summary from handoffs`);
      expect(handoff!.summary).toContain(
        'The customer did not answer "What is the email address registered on your account?" after it was asked again 2 times.',
      );
      expect(handoff!.summary).toContain('at step email');
    },
    SLOW,
  );
});

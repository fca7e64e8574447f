/**
 * A product question searches the catalogue (by words of the title or a SKU) instead of showing the model a first page
 * of products; the product recorded must be one the search showed. End to end through the fake OpenAI server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

const answer = (value: unknown) => ({ tool: 'record_answer', args: { value } });

describe('a product question', () => {
  it(
    'the model searches by what the customer named, and answers from the matches',
    async () => {
      h = await agentHarness();
      h.fake.queue({
        tool: 'start_procedure',
        args: { sopId: 'change-purchased-product', answers: { email: 'mo@example.com', order: '#1008' } },
      });
      expect(await h.exchange('I bought the wrong course on #1008, I am mo@example.com')).toBe(
        'Which line of the order has the wrong product?',
      );
      h.fake.queue(answer('li_br200001'));
      expect(await h.exchange('the BoardReview course')).toBe('Which product should it be?');

      // A product the model names without having found it is not taken: asked again.
      h.fake.queue(answer('prod_br400001'));
      expect(await h.exchange('the 3.0 one')).toBe(
        'Sorry, I could not use that answer.\n\nWhich product should it be?',
      );
      const first = h.fake.requests.at(-1)!;
      expect(first.tools.map((t) => t.name)).toContain('search_products');
      expect(first.text).not.toContain('prod_br');

      h.fake.queue({ tool: 'search_products', args: { query: 'BoardReview 3.0' } }, answer('prod_br300001'), {
        tool: 'put_to_customer',
        args: { text: 'I can switch your course to SleepCues BoardReview 3.0 at the same price.' },
      });
      expect(await h.exchange('BoardReview 3.0 please')).toContain(
        'I can switch your course to SleepCues BoardReview 3.0',
      );
      const searched = h.fake.requests.at(-2)!;
      expect(searched.text).toContain('Products matching "BoardReview 3.0"');
      expect(searched.text).toContain('prod_br300001: SleepCues BoardReview 3.0 (SKU SQBR-3.0)');
      expect(searched.text).not.toContain('prod_br200001');
    },
    SLOW,
  );
});

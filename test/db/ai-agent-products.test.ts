/**
 * A product question searches the catalogue (by words of the title or a SKU) instead of showing the model a first page
 * of products; the product recorded must be one the search showed. End to end through the fake OpenAI server.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

const answer = (value: unknown) => ({ tool: 'record_answer', args: { value } });

describe('a product question', () => {
  it(
    'the model searches by what the customer named, answers from the matches, and the edition is swapped after a yes',
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

      // The preview said all the one yes does: the swap, then the codes and the sync that carry it out.
      const put = h.fake.requests.at(-1)!;
      expect(put.text).toContain(
        'With it, as part of the same change: Request access codes for a purchased item; Sync the purchase history to the IMS.',
      );
      // The customer agrees once: the line is switched to the new edition, its codes requested and the purchase
      // history synced on that one yes, and the procedure ends telling them the new access code.
      h.fake.queue({ tool: 'swap_purchased_product', args: {} });
      const told = await h.exchange('yes');
      expect(told).not.toContain('Reply "yes"');
      const lines = await rows<{ sku: string }>(
        h.ctx.database.db,
        sql`select sku from order_lines where order_id = 'ord_br200001'`,
      );
      expect(lines).toEqual([{ sku: 'SQBR-3.0' }]);
      expect(told).toMatch(
        /^Your purchase in order #1008 now is SleepCues BoardReview 3\.0 \(SQBR-3\.0\); your access code is /,
      );
      expect(told).toContain('The old code no longer works.');
      const codes = await rows<{ sku: string; revoked: boolean }>(
        h.ctx.database.db,
        sql`select sku, revoked_at is not null as revoked from access_codes where line_id = 'li_br200001' order by sku`,
      );
      expect(codes).toEqual([
        { sku: 'SQBR-2.0', revoked: true },
        { sku: 'SQBR-3.0', revoked: false },
      ]);
    },
    SLOW,
  );
});

/**
 * The AI agent end to end: customer messages in, AI turns through the real OpenAI-compatible client against the fake
 * Chat Completions server, the built-in SOPs leading, replies out, and each turn's trace.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/database.js';
import { listAiTurns } from '../../src/agent/status.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

let h: AgentHarness;
afterEach(async () => h?.close());

const pick = (sopId: string) => ({ tool: 'start_procedure', args: { sopId } });
const answer = (value: unknown) => ({ tool: 'record_answer', args: { value } });

async function returnsOf(h: AgentHarness, orderId: string) {
  return rows<{ id: string; status: string }>(
    h.ctx.database.db,
    sql`select id, status from returns where order_id = ${orderId}`,
  );
}

describe('the AI agent answers customers through the SOPs', () => {
  it('returns a delivered item inside the window: preview, explicit yes, tracking id and the disclosures word for word', async () => {
    h = await agentHarness();
    h.fake.queue(pick('handling-returns'));
    expect(await h.exchange('Hi, I want to return something from my order')).toBe(
      'What is the email address registered on your account?',
    );
    h.fake.queue(answer('mo@example.com'));
    expect(await h.exchange('mo@example.com')).toBe('Do you have the order number?');
    h.fake.queue(answer(true));
    expect(await h.exchange('yes')).toBe('Which order is it (for example #1001)?');
    h.fake.queue(answer('#1001'));
    expect(await h.exchange('#1001')).toBe('Which items would you like to return, and how many of each?');
    // The model saw the order's lines to map "the lamp" to its line.
    h.fake.queue(answer([{ itemId: 'li_deliv0001', quantity: 1 }]));
    expect(await h.exchange('the lamp')).toBe('Why are you returning the items?');
    expect(h.fake.requests.at(-1)!.text).toContain('li_deliv0001: Desk lamp');
    h.fake.queue(answer('DAMAGED'), {
      tool: 'put_to_customer',
      args: { text: 'I can start a return of your desk lamp; the item cost is refunded once it arrives.' },
    });
    const preview = await h.exchange('it arrived broken');
    expect(preview).toContain('I can start a return of your desk lamp');
    expect(preview).toContain('Reply "yes" to go ahead');
    expect(await returnsOf(h, 'ord_deliv0001')).toEqual([]); // nothing happens before the customer agrees
    h.fake.queue({ tool: 'initiate_return', args: {} });
    const done = await h.exchange('yes please go ahead');
    expect(done).toMatch(/Your return has been requested\. Your return tracking id is RT-/);
    expect(done).toContain('Shipping fees will not be refunded; only the item cost will be refunded.');
    expect(done).toContain('The return will be approved first, and only then will the pickup of the item begin.');
    expect(done).toContain('Are you happy with how your return has been handled?');
    expect(await returnsOf(h, 'ord_deliv0001')).toHaveLength(1);
    // The confirmation offered the step's own tool and nothing else that acts.
    expect(h.fake.requests.at(-1)!.tools.map((t) => t.name)).toEqual([
      'initiate_return',
      'decline',
      'ask_customer',
      'hand_off',
    ]);
    h.fake.queue(answer(true));
    expect(await h.exchange('yes thanks')).toBe('Thank you for contacting us.');

    const { turns } = await listAiTurns(h.ctx, h.conversationId());
    expect(turns).toHaveLength(8);
    const confirmTurn = turns[1]!;
    const call = confirmTurn.trace.find((e) => e.type === 'tool_call');
    expect(call).toMatchObject({ tool: 'initiate_return', stepId: 'initiate', confirmedBy: confirmTurn.messageIds[0] });
    expect(turns[0]!.outcome).toBe('completed');
    // Every model call is traced with its tokens and latency; no API key is in what was shown.
    const calls = turns.flatMap((t) => t.trace.filter((e) => e.type === 'model_call'));
    expect(calls).toHaveLength(9); // one per customer message, and one more to put the preview
    for (const c of calls) expect(c).toMatchObject({ ok: true, inputTokens: expect.any(Number) });
    // The AI's actions are the AI's on the timeline.
    const [ev] = await rows<{ actor_kind: string }>(
      h.ctx.database.db,
      sql`select actor_kind from timeline_events where type = 'return.requested' limit 1`,
    );
    expect(ev?.actor_kind).toBe('ai_agent');
  });
});

/**
 * "Why did the AI do this?" in a browser: the AI agent (through the fake OpenAI server and the built-in cancel
 * procedure) put a cancellation's preview to a customer; a person opens the conversation in the inbox and reads, in the
 * AI agent panel, the step the turn was on, the tool call and the preview the customer was shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn, type AgentDeps } from '../../src/agent/turn.js';
import { assignConversation } from '../../src/app/inbox/assign-conversation.js';
import { receiveMessage } from '../../src/app/inbox/receive-message.js';
import { sopEngineFor } from '../../src/sop/engine.js';
import { fakeModel, loadFixtureStore, TEST_BUDGETS } from '../support/ai-agent.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { openConversationByEmail, shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let fake: FakeOpenAI;
let deps: AgentDeps;

beforeAll(async () => {
  e = await startE2E();
  await loadFixtureStore(e.ctx);
  fake = await startFakeOpenAI();
  deps = {
    ctx: e.ctx,
    engine: sopEngineFor(e.ctx),
    model: fakeModel(fake),
    budgets: TEST_BUDGETS,
    channels: [],
    verifiedChannels: [],
    sleep: async () => {},
  };
});
afterAll(async () => {
  await fake?.close();
  await e?.close();
});

/** The customer (Mo) writes on their chat conversation; the AI's turn runs on it. */
async function customerWrites(body: string, conversationId?: string): Promise<string> {
  e.ctx.clock.advance(1000);
  const c = await receiveMessage(
    e.ctx,
    { customerId: 'cus_mo000001', channel: 'chat', subject: 'Cancel an order', body, conversationId },
    { actor: { kind: 'human', id: 'customer' } },
  );
  return c.id;
}

describe('why the AI did what it did, in the inbox', () => {
  it('shows the step, the tool call and the preview the AI put to the customer', async () => {
    const id = await customerWrites('Please cancel order #1003, I am mo@example.com');
    await assignConversation(e.ctx, id, { assignee: 'ai_agent' }, { actor: { kind: 'human', id: 'lead' } });
    fake.queue({
      tool: 'start_procedure',
      args: { sopId: 'cancel-or-refund-order', answers: { email: 'mo@example.com', order: '#1003' } },
    });
    expect((await runTurn(deps, id))?.outcome).toBe('replied');
    await customerWrites('found it cheaper', id);
    fake.queue(
      { tool: 'record_answer', args: { value: 'customer' } },
      { tool: 'put_to_customer', args: { text: 'I will cancel order #1003 and refund $20.00 to your card.' } },
    );
    expect((await runTurn(deps, id))?.outcome).toBe('replied');

    const page = await e.newPage();
    await signIn(page, e.url, await e.token('agent', 'Alex'));
    await openConversationByEmail(page, 'mo@example.com');
    const panel = page.getByRole('region', { name: 'AI agent' });
    await panel.getByRole('button', { name: 'Why did the AI do this?' }).click();
    // The newest turn is open: the step it was on, the model's phrasing of the preview, and the tool call with it.
    const did = panel.getByRole('list', { name: 'What the AI did' }).first();
    await expect
      .poll(() => did.getByRole('listitem').allTextContents())
      .toContain('On step cancel (tool): Put the preview to the customer.');
    const call = did.locator('li.trace-tool');
    expect(await call.textContent()).toMatch(/^Tool cancel_order at step cancelPreview put to the customer/);
    const preview = JSON.parse((await call.locator('pre').textContent()) ?? '{}');
    expect(preview.preview).toMatchObject({ reason: 'customer', items: [{ sku: 'LAMP-1', quantity: 1 }] });
    expect(await did.getByRole('listitem').last().textContent()).toContain(
      'Replied to the customer: “I will cancel order #1003 and refund $20.00 to your card.',
    );
    await shot(page, 'ai-why');
  });
});

/** The AI agent on a chat widget conversation: a visitor the store vouched for is not asked who they are. */
import { afterEach, describe, expect, it } from 'vitest';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

let h: AgentHarness;
afterEach(async () => h?.close());

const pick = (sopId: string) => ({ tool: 'start_procedure', args: { sopId } });

describe('the AI agent and chat widget visitors', () => {
  it('a verified visitor (signed by the store) skips the identity question; the customer email fills it', async () => {
    h = await agentHarness({ visitor: { verified: true } });
    h.fake.queue(pick('handling-returns'));
    expect(await h.exchange('Hi, I want to return something from my order')).toBe('Do you have the order number?');
  });

  it('a visitor who only typed an email is asked for it like anyone else', async () => {
    h = await agentHarness({ visitor: { verified: false } });
    h.fake.queue(pick('handling-returns'));
    expect(await h.exchange('Hi, I want to return something from my order')).toBe(
      'What is the email address registered on your account?',
    );
  });
});

/**
 * The AI agent in the customer's language, end to end through the fake OpenAI server: the code decides which question
 * is asked; the model only puts the SOP's question (and the agent's fixed sentences) in the language and tone the
 * customer writes in. When it cannot (the budget is spent), the SOP's text goes as written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

const pick = (sopId: string, language?: string) => ({
  tool: 'start_procedure',
  args: { sopId, ...(language ? { language } : {}) },
});
const answer = (value: unknown, language?: string) => ({
  tool: 'record_answer',
  args: { value, ...(language ? { language } : {}) },
});
const phrase = (...texts: string[]) => ({ tool: 'say_to_customer', args: { texts } });

describe('questions reach the customer in their language', () => {
  it(
    'a Spanish-writing customer is asked the SOP’s questions in Spanish; the step asked is still the code’s',
    async () => {
      h = await agentHarness();
      h.fake.queue(pick('handling-returns', 'es'), phrase('¿Cuál es la dirección de correo registrada en su cuenta?'));
      expect(await h.exchange('Hola, quiero devolver una lámpara')).toBe(
        '¿Cuál es la dirección de correo registrada en su cuenta?',
      );
      // The model was shown the SOP's own question and could only phrase it.
      const phrasing = h.fake.requests.at(-1)!;
      expect(phrasing.tools.map((t) => t.name)).toEqual(['say_to_customer']);
      expect(phrasing.text).toContain('What is the email address registered on your account?');
      expect(phrasing.text).toContain('(es)');
      expect(phrasing.text).toContain('quiero devolver una lámpara');

      // The agent's fixed sentences too, with the SOP's question after them, in one call; the language is remembered
      // from turn to turn, and the code still decides: another customer's address is asked for again.
      h.fake.queue(
        answer('jo@example.com'),
        phrase(
          'No pude verificar esa dirección para esta conversación.',
          '¿Cuál es la dirección de correo registrada?',
        ),
      );
      expect(await h.exchange('es jo@example.com')).toBe(
        'No pude verificar esa dirección para esta conversación.\n\n¿Cuál es la dirección de correo registrada?',
      );
      expect(h.fake.requests.at(-1)!.text).toContain('I could not verify that address for this conversation.');
      h.fake.queue(answer('mo@example.com'), phrase('¿Tiene el número de pedido?'));
      expect(await h.exchange('perdón, mo@example.com')).toBe('¿Tiene el número de pedido?');
      expect(h.fake.requests.at(-1)!.text).toContain('Do you have the order number?');
      const { turns } = await listAiTurns(h.ctx, h.conversationId());
      expect(turns[0]!.stepAfter).toBe('knows_order');
      expect(turns[1]!.stepAfter).toBe('email');
    },
    SLOW,
  );

  it(
    'a customer writing in the SOP’s language costs no phrasing call',
    async () => {
      h = await agentHarness();
      h.fake.queue(pick('handling-returns', 'en'));
      expect(await h.exchange('I want to return a lamp')).toBe('What is the email address registered on your account?');
      expect(h.fake.requests).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'when the budget leaves no call to phrase it, the SOP’s question goes as written',
    async () => {
      h = await agentHarness({ budgets: { turnModelCalls: 1 } });
      h.fake.queue(pick('handling-returns', 'es'));
      expect(await h.exchange('Hola, quiero devolver algo')).toBe(
        'What is the email address registered on your account?',
      );
      expect(h.fake.requests).toHaveLength(1);
      const { turns } = await listAiTurns(h.ctx, h.conversationId());
      expect(turns[0]!.outcome).toBe('replied');
    },
    SLOW,
  );

  it(
    'a phrasing that names an internal id is retried, then the SOP’s text goes as written',
    async () => {
      h = await agentHarness();
      const leaky = phrase('¿Cuál es su correo? (cus_mo000001)');
      h.fake.queue(pick('handling-returns', 'es'), leaky, leaky, leaky);
      expect(await h.exchange('Hola, quiero devolver algo')).toBe(
        'What is the email address registered on your account?',
      );
    },
    SLOW,
  );
});

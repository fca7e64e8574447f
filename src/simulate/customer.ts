/**
 * The simulated customer. Scripted: each reply is the fact whose `when` phrases the agent's question matches (the
 * question asked last in the agent's message wins); no fact matching means the customer has nothing more to say.
 * Played by a model (SOPDESK_SIM_PROVIDER / SOPDESK_SIM_MODEL, its own setting so a cheap model can play customers):
 * the persona, goal, facts and behaviour become its instructions, and it says DONE when it has nothing to add.
 */
import { generateText, type LanguageModel } from 'ai';
import type { Simulation } from './format.js';

export interface Exchange {
  from: 'customer' | 'agent';
  text: string;
}

export interface SimulatedCustomer {
  /** The customer's next message after the agent's, or undefined when they stop writing. */
  reply(conversation: readonly Exchange[]): Promise<string | undefined>;
}

export function scriptedCustomer(s: Simulation): SimulatedCustomer {
  const said = new Map<number, number>();
  return {
    async reply(conversation) {
      const last = [...conversation]
        .reverse()
        .find((e) => e.from === 'agent')
        ?.text.toLowerCase();
      if (!last) return undefined;
      let best: { fact: number; at: number; length: number } | undefined;
      for (const [i, f] of s.facts.entries())
        for (const phrase of f.when) {
          const at = last.lastIndexOf(phrase.toLowerCase());
          if (at < 0) continue;
          if (!best || at > best.at || (at === best.at && phrase.length > best.length))
            best = { fact: i, at, length: phrase.length };
        }
      if (!best) return s.fallback;
      const n = said.get(best.fact) ?? 0;
      said.set(best.fact, n + 1);
      const says = s.facts[best.fact]!.say;
      return says[Math.min(n, says.length - 1)];
    },
  };
}

export const CUSTOMER_DONE = 'DONE';

function customerInstructions(s: Simulation): string {
  const facts = s.facts.map((f) => `- asked about ${f.when.join(' / ')}: ${f.say.join(' (then) ')}`).join('\n');
  return [
    'You play a customer writing to an online store’s support chat. Stay in character; write only what the customer writes.',
    `Who you are: ${s.persona}`,
    `What you want: ${s.goal}`,
    `How you behave: ${s.behaviour}`,
    `What you know, and say only when asked:\n${facts || '- nothing beyond your goal'}`,
    `When your goal is met, or you have nothing more to say, answer exactly ${CUSTOMER_DONE}.`,
  ].join('\n');
}

/** A customer played by a language model through the AI SDK. */
export function modelCustomer(s: Simulation, model: LanguageModel, retries = 2): SimulatedCustomer {
  return {
    async reply(conversation) {
      const r = await generateText({
        model,
        system: customerInstructions(s),
        // The model is the customer: the agent's messages are what it reads, its own earlier messages are its turns.
        messages: conversation.map((e) => ({
          role: e.from === 'agent' ? ('user' as const) : ('assistant' as const),
          content: e.text,
        })),
        maxRetries: retries,
      });
      const text = r.text.trim();
      return !text || text === CUSTOMER_DONE ? undefined : text;
    },
  };
}

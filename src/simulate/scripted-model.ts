/**
 * The scripted model: a deterministic stand-in for a language model, behind the AI SDK's model interface, so a
 * simulation drives the real agent (src/agent) with no network and no randomness — what CI runs. It reads what
 * the agent shows a model (the offered tools, the step's question and answer type, the customer's words) and
 * answers by rules: pick the procedure by its trigger phrases, pull an email, an order number, yes/no, an option or
 * the order's lines out of the customer's text, put the preview's own summary, read yes or no. It is gullible on
 * purpose: a customer text that names a tool gets that tool called, as a fooled model would — the agent must hold.
 */
import type { LanguageModel } from 'ai';

type Model = Extract<LanguageModel, { specificationVersion: 'v3' }>;
type CallOptions = Parameters<Model['doGenerate']>[0];
type Result = Awaited<ReturnType<Model['doGenerate']>>;

export interface ToolChoice {
  tool: string;
  args: Record<string, unknown>;
}

/** Spanish words a customer may write, read as the English the rules know. */
const LEXICON: [RegExp, string][] = [
  ['devolver|devoluci[oó]n', 'return'],
  ['reembols[oa]r?', 'refund'],
  ['cancelar', 'cancel'],
  ['l[aá]mpara', 'lamp'],
  ['pedido', 'order'],
  ['roto|rota|se rompi[oó]|lleg[oó] rot[oa]', 'broken'],
  ['s[ií]|claro', 'yes'],
  ['no gracias', 'no'],
  ['una persona', 'a person'],
].map(([words, en]) => [new RegExp(`(?<!\\p{L})(?:${words})(?!\\p{L})`, 'giu'), en] as [RegExp, string]);

const english = (t: string) => LEXICON.reduce((s, [re, w]) => s.replace(re, w), t);

const YES = /\b(yes|yep|yeah|sure|ok|okay|please do|go ahead|correct|happy|fine)\b/i;
const NO = /\b(no|nope|not|don't|do not|keep it|changed my mind|rather not|unhappy)\b/i;
const PERSON =
  /\b(human|a person|real person|someone real|representative|manager|speak to (?:a|an|someone)|talk to (?:a|an|someone))\b/i;
const INJECTION = /\b(ignore (?:all |your |the )?(?:previous |prior )?instructions|admin mode|system prompt)\b/i;

const REASONS: [RegExp, string][] = [
  [/\b(broken|damaged|cracked|smashed)\b/i, 'DAMAGED'],
  [/\b(defect|defective|does not work|doesn't work|stopped working|faulty)\b/i, 'DEFECTIVE'],
  [/\bwrong (item|product|one|colou?r|size)\b/i, 'WRONG_ITEM'],
  [/\b(by mistake|mistake|accident)\b/i, 'ORDERED_BY_MISTAKE'],
  [/\b(changed my mind|no longer (?:need|want)|don't need|do not need|don't want)\b/i, 'customer'],
];

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join('\n');
  return '';
}

/** The customer's words in what the model is shown (inside <customer> tags). */
function customerWords(user: string): string {
  return [...user.matchAll(/<customer>\n?([\s\S]*?)\n?<\/customer>/g)].map((m) => m[1]!).join('\n');
}

const first = (re: RegExp, s: string) => re.exec(s)?.[0];

function yesNo(text: string): boolean | undefined {
  const t = english(text);
  const no = NO.test(t);
  const yes = YES.test(t);
  if (yes && !no) return true;
  if (no && !/\b(no problem)\b/i.test(t)) return false;
  return undefined;
}

/** The order's lines the agent lists ("itemId: title × quantity"), matched by the words of their titles. */
function items(system: string, text: string, one: boolean): unknown {
  const lines = [...system.matchAll(/^(li_[0-9a-z]+): (.+) × (\d+)$/gm)].map((m) => ({
    itemId: m[1]!,
    title: m[2]!.toLowerCase(),
    quantity: Number(m[3]),
  }));
  // A line named by its id (copied from an email) is taken as written, as a model would: the procedure checks it.
  const typed = text.match(/\bli_[0-9a-z]{8,}\b/g);
  if (typed) return one ? typed[0] : typed.map((itemId) => ({ itemId, quantity: 1 }));
  const t = english(text).toLowerCase();
  const named = lines.filter((l) => l.title.split(/\W+/).some((w) => w.length > 2 && t.includes(w)));
  const picked = named.length ? named : lines.length === 1 ? lines : [];
  if (!picked.length) return undefined;
  if (one) return picked[0]!.itemId;
  const all = /\b(all|both|every|everything)\b/.test(t);
  const n = Number(first(/\b\d+\b/, t.replace(/#\d+/g, '')) ?? (/\b(two)\b/.test(t) ? 2 : 1));
  return picked.map((l) => ({ itemId: l.itemId, quantity: all ? l.quantity : Math.min(n, l.quantity) }));
}

function option(system: string, text: string): string | undefined {
  const options = /^Options: (.+)$/m.exec(system)?.[1]?.split(', ') ?? [];
  const t = english(text);
  const named = options.find((o) => new RegExp(`\\b${o.replace(/_/g, '[ _]')}\\b`, 'i').test(t));
  if (named) return named;
  for (const [re, o] of REASONS) if (re.test(t) && options.includes(o)) return o;
  return options.find((o) => /^other$/i.test(o));
}

/** The answer an ask step needs, from the customer's words; undefined when they did not give it. */
function extract(system: string, words: string): unknown {
  const type = /The answer is (.+?)\.(?:\n|$)/.exec(system)?.[1] ?? '';
  if (type.startsWith('an email')) return first(/[\w.+-]+@[\w-]+(\.[\w-]+)+/, words);
  if (type.startsWith('an order number')) return first(/#?\b\d{3,}\b|\b[A-Z]{2,5}-[A-Z0-9-]+\b/, words);
  if (type.startsWith('yes (true)')) return yesNo(words);
  if (type.startsWith('one of the options')) return option(system, words);
  if (type.startsWith('the order lines')) return items(system, words, false);
  if (type.startsWith('one order line')) return items(system, words, true);
  if (type.startsWith('a product')) return first(/\bprod_[0-9a-z]+\b/, words) ?? product(system, words);
  if (type === 'number') {
    const n = first(/-?\d+(\.\d+)?/, words);
    return n === undefined ? undefined : Number(n);
  }
  return words.trim() || undefined;
}

/** A product the agent lists ("prod_…: title (SKU …)"), the one whose title the customer's words fit best. */
function product(system: string, words: string): string | undefined {
  const t = words.toLowerCase();
  const scored = [...system.matchAll(/^(prod_[0-9a-z]+): (.+?)(?: \(SKU [^)]*\))?$/gm)]
    .map((m) => ({ id: m[1]!, title: m[2]!.toLowerCase() }))
    .filter((p) => t.includes(p.title));
  return scored.sort((a, b) => b.title.length - a.title.length)[0]?.id;
}

/** The procedure whose trigger phrases and title words the customer's words match most. */
function procedure(system: string, words: string): string | undefined {
  const t = english(words).toLowerCase();
  let best: { id: string; score: number } | undefined;
  for (const m of system.matchAll(/^- ([a-z0-9-]+): (.+?)\. Applies when: .*? Phrases: (.*)$/gm)) {
    const phrases = m[3]!.split(', ').map((p) => p.toLowerCase());
    const score = phrases.filter((p) => t.includes(p)).length * 2 + (t.includes(m[2]!.toLowerCase()) ? 1 : 0);
    if (score > 0 && (!best || score > best.score)) best = { id: m[1]!, score };
  }
  return best?.id;
}

/** The one tool call the rules make for what the agent shows. */
export function scriptedChoice(system: string, user: string, offered: string[]): ToolChoice {
  const words = customerWords(user);
  const has = (n: string) => offered.includes(n);
  const ask = (question: string): ToolChoice => ({ tool: 'ask_customer', args: { question } });
  if (INJECTION.test(words)) {
    // Fooled: it calls whatever tool the customer names (the agent offers only the step's tools, so this is refused).
    const named = first(/\b[a-z]+_[a-z_]+\b/, words);
    if (named) return { tool: named, args: {} };
  }
  if (has('put_to_customer')) {
    const summary = user.replace(/^What will happen:\n/, '').replace(/\b[a-z]+_[0-9a-z]{8,}\b/g, 'it');
    return { tool: 'put_to_customer', args: { text: `Here is what I can do: ${summary}` } };
  }
  if (PERSON.test(english(words)) && has('hand_off'))
    return { tool: 'hand_off', args: { reason: 'The customer asked for a person.' } };
  if (has('reply_to_customer')) {
    // The run waits for an outside event: say what for, and by when.
    const what = /^Waiting for: (.+)$/m.exec(system)?.[1] ?? 'the next step';
    const by = /^Expected by: (\S+)/m.exec(system)?.[1];
    return {
      tool: 'reply_to_customer',
      args: { text: `We are still waiting for this: ${what}${by ? `, expected by ${by}` : ''}.` },
    };
  }
  if (has('start_procedure')) {
    const id = procedure(system, words);
    return id ? { tool: 'start_procedure', args: { sopId: id } } : ask('How can I help you today?');
  }
  if (has('decline')) {
    const action = offered.find((n) => !['decline', 'ask_customer', 'hand_off'].includes(n))!;
    const yes = yesNo(words);
    if (yes === true) return { tool: action, args: {} };
    if (yes === false) return { tool: 'decline', args: {} };
    return ask('Shall I go ahead? Please answer yes or no.');
  }
  if (has('record_answer')) {
    // A product question with no products shown yet: search by the SKU the customer named, or their last phrase.
    if (has('search_products') && !/^prod_[0-9a-z]+: /m.test(system)) {
      const query = first(/\b[A-Z]{2,}-[\w.-]+\b/, words) ?? words.split(/[,;:]/).at(-1)!.trim();
      if (query) return { tool: 'search_products', args: { query } };
    }
    const value = extract(system, words);
    if (value !== undefined) return { tool: 'record_answer', args: { value } };
    const question = /^The question: (.+)$/m.exec(system)?.[1] ?? 'Could you tell me a little more?';
    return ask(`Sorry, I did not catch that. ${question}`);
  }
  return ask('How can I help you today?');
}

/** The scripted model as an AI SDK language model (zero latency). */
export function scriptedModel(): LanguageModel {
  const model: Model = {
    specificationVersion: 'v3',
    provider: 'sopdesk',
    modelId: 'scripted',
    supportedUrls: {},
    async doGenerate(options: CallOptions): Promise<Result> {
      const system = options.prompt
        .filter((m) => m.role === 'system')
        .map((m) => textOf(m.content))
        .join('\n');
      const user = options.prompt
        .filter((m) => m.role === 'user')
        .map((m) => textOf(m.content))
        .join('\n');
      const offered = (options.tools ?? []).map((t) => t.name);
      const c = scriptedChoice(system, user, offered);
      const tokens = Math.ceil((system.length + user.length) / 4);
      return {
        content: [{ type: 'tool-call', toolCallId: 'call_scripted', toolName: c.tool, input: JSON.stringify(c.args) }],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage: {
          inputTokens: { total: tokens, noCache: tokens, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 10, text: 10, reasoning: undefined },
        },
        warnings: [],
      };
    },
    doStream() {
      throw new Error('the scripted model does not stream');
    },
  };
  return model;
}

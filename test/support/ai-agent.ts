/** An AI agent on a test database with the built-in SOPs' store, talking to the fake OpenAI server. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { AppContext } from '../../src/app/context.js';
import { createOrder } from '../../src/app/ingest/create-order.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { CustomerInput, OrderInput, ProductInput } from '../../src/app/ingest/schemas.js';
import { assignConversation } from '../../src/app/inbox/assign-conversation.js';
import { receiveMessage } from '../../src/app/inbox/receive-message.js';
import { getConversation } from '../../src/app/inbox/get-conversation.js';
import { builtinIms } from '../../src/connectors/ims/builtin.js';
import { DEFAULT_BUDGETS, type AiBudgets } from '../../src/agent/config.js';
import { runTurn, type AgentDeps, type TurnResult } from '../../src/agent/turn.js';
import { SYSTEM } from '../../src/domain/timeline.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { newId } from '../../src/kernel/ids.js';
import { insertVisitor } from '../../src/db/repo/chat.js';
import { SopEngine, useSopEngine } from '../../src/sop/engine.js';
import { libraryOf, loadLibrary } from '../../src/sop/library.js';
import { parseSop } from '../../src/sop/parser.js';
import { openTestDatabase, T0 } from './db.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';

const SOPS = fileURLToPath(new URL('../../sops', import.meta.url));
const STORE = fileURLToPath(new URL('../../sops/_fixtures/store.yaml', import.meta.url));

export async function loadFixtureStore(ctx: AppContext): Promise<void> {
  const s = parseYaml(readFileSync(STORE, 'utf8')) as { customers: unknown[]; products: unknown[]; orders: unknown[] };
  for (const c of s.customers) await upsertCustomer(ctx, CustomerInput.parse(c), { actor: SYSTEM });
  for (const p of s.products) await upsertProduct(ctx, ProductInput.parse(p), { actor: SYSTEM });
  for (const o of s.orders) await createOrder(ctx, OrderInput.parse(o), { actor: SYSTEM });
}

export interface AgentHarness {
  ctx: AppContext & { clock: FixedClock };
  fake: FakeOpenAI;
  deps: AgentDeps;
  /** The customer writes on their conversation (opened and assigned to the AI on the first message). */
  write(text: string, customerId?: string): Promise<string>;
  /** Runs the turn the message started. */
  turn(): Promise<TurnResult | undefined>;
  /** The customer writes, and the AI's turn runs: answers the AI's reply (or '' when it sent none). */
  exchange(text: string): Promise<string>;
  conversationId(): string;
  outbound(): Promise<string[]>;
  close(): Promise<void>;
}

// A generous call timeout: a loaded CI machine must not turn a slow loopback answer into a handoff. The test of a
// timeout sets its own.
export const TEST_BUDGETS: AiBudgets = { ...DEFAULT_BUDGETS, callTimeoutMs: 15_000, retryDelayMs: 0 };

export function fakeModel(fake: FakeOpenAI): LanguageModel {
  return createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'sk-test-not-a-real-key' })('fake-model');
}

export async function agentHarness(
  opts: {
    budgets?: Partial<AiBudgets>;
    customerId?: string;
    channel?: 'chat' | 'email' | 'web' | 'kogan';
    /** The marketplace's ticket the conversation is filed under (its external ref), as the marketplace mail rule does. */
    ticket?: string;
    verifiedChannels?: string[];
    /** The customer writes as a chat widget visitor, verified by the store's signed identity or not. */
    visitor?: { verified: boolean };
    /** SOP texts to add to the built-in ones. */
    sops?: string[];
  } = {},
): Promise<AgentHarness> {
  const t = await openTestDatabase();
  const clock = new FixedClock(new Date(T0));
  const ctx = { database: t.database, clock, ims: builtinIms(t.database, clock) };
  await loadFixtureStore(ctx);
  const fake = await startFakeOpenAI();
  const extra = (opts.sops ?? []).map((s, i) => {
    const p = parseSop(s, `extra-${i}.md`);
    if (!p.doc) throw new Error(p.issues.map((x) => `${x.line}: ${x.message}`).join('\n'));
    return p.doc;
  });
  const engine = new SopEngine({ ctx, library: libraryOf([...loadLibrary(SOPS).list(), ...extra]) });
  // As `sopdesk start` does: the engine the AI drives is the one approvals, REST and the sop_* tools use.
  useSopEngine(ctx, engine);
  const deps: AgentDeps = {
    ctx,
    engine,
    model: fakeModel(fake),
    budgets: { ...TEST_BUDGETS, ...opts.budgets },
    channels: [],
    verifiedChannels: opts.verifiedChannels ?? [],
    sleep: async () => {},
  };
  const customerId = opts.customerId ?? 'cus_mo000001';
  const visitorId = opts.visitor ? newId('visitor') : undefined;
  if (visitorId)
    await insertVisitor(t.database.db, {
      id: visitorId,
      customerId,
      verified: opts.visitor!.verified,
      tokenHash: visitorId,
      at: T0,
    });
  let conversationId: string | undefined;
  let last: TurnResult | undefined;
  const h: AgentHarness = {
    ctx,
    fake,
    deps,
    conversationId: () => conversationId!,
    async write(text) {
      clock.advance(1000);
      const c = await receiveMessage(
        ctx,
        {
          customerId,
          channel: opts.channel ?? 'chat',
          subject: 'Help',
          body: text,
          ...(conversationId ? { conversationId } : {}),
          ...(visitorId ? { externalRef: visitorId } : {}),
          ...(opts.ticket ? { externalRef: opts.ticket } : {}),
        },
        { actor: { kind: 'human', id: 'customer' } },
      );
      if (!conversationId) {
        conversationId = c.id;
        await assignConversation(ctx, c.id, { assignee: 'ai_agent' }, { actor: { kind: 'human', id: 'lead' } });
      }
      return c.id;
    },
    async turn() {
      last = await runTurn(deps, conversationId!);
      return last;
    },
    async exchange(text) {
      const before = (await h.outbound()).length;
      await h.write(text);
      await h.turn();
      return (await h.outbound()).slice(before).join('\n---\n');
    },
    async outbound() {
      if (!conversationId) return [];
      const c = await getConversation(ctx, conversationId!);
      return c.messages.filter((m) => m.kind === 'outbound').map((m) => m.body);
    },
    async close() {
      await fake.close();
      await t.drop();
    },
  };
  return h;
}

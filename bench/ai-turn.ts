/**
 * sopdesk's own time per AI turn: the Handling Returns procedure driven by customer messages, with the AI SDK's
 * mock model answering at zero latency (so every millisecond is sopdesk's: reading the messages, the SOP runner,
 * its tools, the replies, the trace), on PostgreSQL (BENCH_DATABASE_URL). Also counts model calls per customer
 * message. Each conversation goes as far as the return's preview and then declines it, so it can be repeated.
 * The machine is shared: beside the wall time, the CPU this process spent per turn (which waits for no one), and
 * pgbench's TPC-B with one client in the same run (what one small transaction costs on the machine right now).
 *   npx tsx bench/ai-turn.ts
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_BUDGETS } from '../src/agent/config.js';
import { runTurn, type AgentDeps } from '../src/agent/turn.js';
import { assignConversation } from '../src/app/inbox/assign-conversation.js';
import { receiveMessage } from '../src/app/inbox/receive-message.js';
import { builtinIms } from '../src/connectors/ims/builtin.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/kernel/clock.js';
import { SopEngine } from '../src/sop/engine.js';
import { loadLibrary } from '../src/sop/library.js';
import { loadFixtureStore } from '../test/support/ai-agent.js';
import { scriptedModel } from '../test/support/mock-model.js';
import { log, pgbench, scratchDatabase } from './lib.js';

const CONVERSATIONS = Number(process.env.BENCH_AI_CONVERSATIONS ?? 30);
const answer = (value: unknown) => ({ tool: 'record_answer', args: { value } });
const SCRIPT: [string, { tool: string; args?: Record<string, unknown> }[]][] = [
  ['Hi, I want to return something', [{ tool: 'start_procedure', args: { sopId: 'handling-returns' } }]],
  ['mo@example.com', [answer('mo@example.com')]],
  ['yes', [answer(true)]],
  ['#1001', [answer('#1001')]],
  ['the lamp', [answer([{ itemId: 'li_deliv0001', quantity: 1 }])]],
  ['it arrived broken', [answer('DAMAGED'), { tool: 'put_to_customer', args: { text: 'I will start the return.' } }]],
  ['no, leave it', [{ tool: 'decline' }]],
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 10) / 10;
};

export async function aiTurn() {
  const scratch = await scratchDatabase('ai_turn');
  const database = await openDatabase({ url: scratch.url, poolSize: 4 });
  try {
    const ctx = { database, clock: systemClock, ims: builtinIms(database, systemClock) };
    await loadFixtureStore(ctx);
    const m = scriptedModel();
    const deps: AgentDeps = {
      ctx,
      engine: new SopEngine({ ctx, library: loadLibrary(fileURLToPath(new URL('../sops', import.meta.url))) }),
      model: m.model,
      budgets: DEFAULT_BUDGETS,
      channels: [],
      verifiedChannels: [],
    };
    const own: number[] = [];
    const cpuMs: number[] = [];
    let calls = 0;
    let messages = 0;
    for (let i = 0; i < CONVERSATIONS + 3; i++) {
      let conversationId: string | undefined;
      for (const [text, replies] of SCRIPT) {
        const c = await receiveMessage(
          ctx,
          {
            customerId: 'cus_mo000001',
            channel: 'chat',
            subject: 'Return',
            body: text,
            ...(conversationId ? { conversationId } : {}),
          },
          { actor: { kind: 'human', id: 'customer' } },
        );
        if (!conversationId) {
          conversationId = c.id;
          await assignConversation(ctx, c.id, { assignee: 'ai_agent' }, { actor: { kind: 'human', id: 'lead' } });
        }
        m.queue(...replies);
        const cpu0 = process.cpuUsage();
        const r = await runTurn(deps, conversationId);
        const cpu = process.cpuUsage(cpu0);
        if (!r || r.outcome === 'handed_off' || r.outcome === 'stopped') throw new Error(`turn ${text}: ${r?.outcome}`);
        if (i < 3) continue; // warm-up: plans, module loads
        own.push(r.ownMs);
        cpuMs.push((cpu.user + cpu.system) / 1000);
        calls += r.modelCalls;
        messages++;
      }
      // Close it, so the next conversation is a new one.
      const { changeConversationStatus } = await import('../src/app/inbox/change-conversation-status.js');
      await changeConversationStatus(ctx, conversationId!, { status: 'closed' } as never, {
        actor: { kind: 'human', id: 'lead' },
      }).catch(() => undefined);
    }
    const figures = {
      conversations: CONVERSATIONS,
      turns: own.length,
      ownMsP50: pct(own, 50),
      ownMsP99: pct(own, 99),
      cpuMsP50: pct(cpuMs, 50),
      modelCallsPerCustomerMessage: Math.round((calls / messages) * 100) / 100,
      modelCallsPerConversation: calls / CONVERSATIONS,
      /** The machine is shared: the 1-minute load average at the end, against its cores. */
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      cores: cpus().length,
    };
    log(
      `ai turn: p50 ${figures.ownMsP50} ms (CPU ${figures.cpuMsP50} ms), p99 ${figures.ownMsP99} ms, ${figures.modelCallsPerCustomerMessage} model calls per message`,
    );
    log('pgbench TPC-B, 1 client, 10 s');
    return { ...figures, pgbenchTpcb: await pgbench('tpcb', 1, 10) };
  } finally {
    await database.close();
    await scratch.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  aiTurn()
    .then((f) => console.log(JSON.stringify(f, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}

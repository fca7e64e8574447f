/**
 * Runs simulations: each k times, each trial on a fresh copy of its starting store, a simulated customer talking to
 * the real AI agent (src/agent: the same turns, SOP runner and tools as production). A trial passes when every
 * success criterion holds on the end state; a simulation's pass^j is the chance that j trials in a row all pass
 * (estimated from its k trials as C(passes, j) / C(k, j)).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LanguageModel } from 'ai';
import { DEFAULT_BUDGETS, type AiBudgets } from '../agent/config.js';
import { listAiTurns } from '../agent/status.js';
import { runTurn, type AgentDeps } from '../agent/turn.js';
import { assignConversation } from '../app/inbox/assign-conversation.js';
import { getConversation } from '../app/inbox/get-conversation.js';
import { receiveMessage } from '../app/inbox/receive-message.js';
import { resolveHandoff } from '../app/inbox/resolve-handoff.js';
import { takeHandoff } from '../app/inbox/take-handoff.js';
import { loadSopRun } from '../app/sop/load-sop-run.js';
import { rows } from '../db/database.js';
import { listSopRuns } from '../db/repo/sop-runs.js';
import { coverageOf, type Coverage } from '../sop/coverage.js';
import { SopEngine } from '../sop/engine.js';
import { evaluateOver } from '../sop/expressions.js';
import { durationMs } from '../sop/format.js';
import type { SopLibrary } from '../sop/library.js';
import { actOutside, withConnectors } from '../sop/scenario.js';
import { TOOLS } from '../tools/catalogue.js';
import { invokeTool } from '../tools/invoke.js';
import { sql } from 'drizzle-orm';
import { type Exchange, type SimulatedCustomer, scriptedCustomer } from './customer.js';
import { passHat, type SimulationTurn } from '../domain/simulations.js';
import { storeOf, type Simulation, type SimulationFile, type TeamAction } from './format.js';
import type { TrialContext, TrialStores } from './stores.js';

export interface TrialResult {
  trial: number;
  ok: boolean;
  /** Each criterion that did not hold, in words. */
  failures: string[];
  /** Customer messages written. */
  turns: number;
  /** Model calls the agent made (retries included): the cost of the conversation in calls. */
  modelCalls: number;
  ms: number;
  /** Of which setting up the trial's fresh store. */
  setupMs: number;
  /** The transcript's file, when the run writes them. */
  transcript?: string;
  /** The conversation, turn by turn, with the agent's trace of each turn. */
  conversation: SimulationTurn[];
  /** The SOP runs of the conversation: the steps they reached and the edges they took (for coverage). */
  runs: { sopId: string; reached: string[]; edges: string[] }[];
}

export interface SimulationResult {
  sopId: string;
  file: string;
  name: string;
  goal: string;
  trials: TrialResult[];
  passes: number;
  /** pass^1 … pass^k. */
  passHat: number[];
}

export interface SuiteReport {
  ok: boolean;
  /** The suite was canceled before all its trials ran (`signal`); the report holds the trials that finished. */
  canceled: boolean;
  k: number;
  model: string;
  customer: string;
  simulations: SimulationResult[];
  /** Files that are not valid simulations (file:line: field: message). */
  errors: string[];
  coverage: Coverage[];
  ms: number;
  trialsPerMinute: number;
}

export interface SuiteOptions {
  files: SimulationFile[];
  library: SopLibrary;
  stores: TrialStores;
  /** The model the agent uses: the scripted one in CI, or the configured one. */
  model: LanguageModel;
  modelName: string;
  /** The simulated customer of a simulation; default scripted. */
  customer?: (s: Simulation) => SimulatedCustomer;
  customerName?: string;
  k: number;
  concurrency?: number;
  /** Where transcripts are written (one Markdown file per trial); none when absent. */
  outDir?: string | undefined;
  budgets?: Partial<AiBudgets>;
  /** Each trial as it ends (awaited before the next trial of that worker). */
  onTrial?: (s: SimulationFile, t: TrialResult) => void | Promise<void>;
  /**
   * Cancels the suite: no trial starts after it, and a trial in flight stops at its next customer message and is
   * dropped (not reported, not counted). The report says `canceled`.
   */
  signal?: AbortSignal;
}

const CUSTOMER = { kind: 'human' as const, id: 'simulated-customer' };
const LEAD = { kind: 'human' as const, id: 'simulation' };
const READER = { role: 'admin' as const, actor: { kind: 'system' as const, id: 'simulation' } };

const TEAM = { actor: { kind: 'human' as const, id: 'simulated-team' } };

interface TurnLog {
  /** Null on a turn the agent took after the team acted, with no customer message. */
  customer: string | null;
  team?: string[];
  agent: string[];
  turnId: string | undefined;
}

/**
 * The team's next actions, done while the conversation's latest run stands at their step; answers what was done, in
 * words. A person who gives a manual step's evidence takes the conversation's open handoff first, and when done
 * resolves it and hands the conversation back to the AI agent.
 */
async function teamActs(
  ctx: TrialContext,
  engine: SopEngine,
  conversationId: string,
  customerId: string,
  team: TeamAction[],
  done: { count: number },
): Promise<string[]> {
  const said: string[] = [];
  let handoffId: string | undefined;
  for (let action = team[done.count]; action; action = team[done.count]) {
    const [run] = (await listSopRuns(ctx.database.db, { customerId, limit: 20 })).filter(
      (r) => r.conversationId === conversationId,
    );
    if (run?.currentStepId !== action.at) break;
    done.count++;
    if ('evidence' in action) {
      if (!handoffId) {
        const open = (await getConversation(ctx, conversationId)).handoffs.find((h) => h.status === 'queued');
        if (open) handoffId = (await takeHandoff(ctx, open.id, TEAM)).id;
      }
      await engine.submit(run.id, action.at, { evidence: action.evidence }, TEAM);
      said.push(`${action.at}: a person gave ${JSON.stringify(action.evidence)}`);
    } else if ('tool' in action) {
      const args = await actOutside(ctx, TOOLS, run.id, action, TEAM.actor, `simulation:${run.id}:${done.count}`);
      said.push(`${action.at}: ${action.tool} ${JSON.stringify(args)}`);
    } else {
      ctx.clock.advance(durationMs(action.advance));
      said.push(`${action.at}: ${action.advance} passed`);
    }
  }
  if (handoffId) {
    await resolveHandoff(ctx, handoffId, TEAM);
    await assignConversation(ctx, conversationId, { assignee: 'ai_agent' }, TEAM);
    said.push('the person handed the conversation back to the AI agent');
  }
  return said;
}

/** One trial of one simulation on a fresh store. */
export async function runTrial(
  f: SimulationFile & { simulation: Simulation },
  trial: number,
  o: Omit<SuiteOptions, 'files' | 'k' | 'concurrency' | 'onTrial'>,
): Promise<TrialResult | undefined> {
  const s = f.simulation;
  const t0 = performance.now();
  const store = await o.stores.fresh(storeOf(s, f.file), s.now);
  const setupMs = Math.round(performance.now() - t0);
  const ctx = withConnectors(store.ctx, s.connectors);
  const failures: string[] = [];
  const log: TurnLog[] = [];
  let modelCalls = 0;
  /** Customer messages written. */
  let written = 0;
  const runs: TrialResult['runs'] = [];
  let conversationId: string | undefined;
  try {
    const engine = new SopEngine({ ctx, library: o.library });
    const deps: AgentDeps = {
      ctx,
      engine,
      model: o.model,
      budgets: { ...DEFAULT_BUDGETS, retryDelayMs: 0, ...o.budgets },
      channels: [],
      verifiedChannels: [],
      sleep: async () => {},
    };
    const customer = (o.customer ?? scriptedCustomer)(s);
    const exchanges: Exchange[] = [];
    const [{ seq: startSeq }] = (await rows<{ seq: number | null }>(
      ctx.database.db,
      sql`select max(seq) as seq from timeline_events`,
    )) as [{ seq: number | null }];
    let next: string | undefined = s.opening;
    let seen = 0;
    const teamDone = { count: 0 };
    /** One turn of the agent: its replies to the customer, logged. */
    const agentTurn = async (id: string, entry: Omit<TurnLog, 'agent' | 'turnId'>) => {
      const r = await runTurn(deps, id);
      const outbound = (await getConversation(ctx, id)).messages.filter((m) => m.kind === 'outbound');
      const replies = outbound.slice(seen).map((m) => m.body);
      seen = outbound.length;
      log.push({ ...entry, agent: replies, turnId: r?.turnId });
      modelCalls += r?.modelCalls ?? 0;
      for (const text of replies) exchanges.push({ from: 'agent', text });
      return { r, replies };
    };
    while (next !== undefined) {
      if (o.signal?.aborted) {
        await store.close();
        return undefined;
      }
      if (written >= s.maxTurns) {
        failures.push(`the turn limit: the customer wrote ${s.maxTurns} messages and the conversation went on`);
        break;
      }
      written++;
      ctx.clock.advance(30_000);
      const c = await receiveMessage(
        ctx,
        {
          customerId: s.customer,
          channel: s.channel,
          subject: s.ticket ? `Ticket ${s.ticket}` : 'Help',
          ...(s.ticket ? { externalRef: s.ticket } : {}),
          body: next,
          ...(conversationId ? { conversationId } : {}),
        },
        { actor: CUSTOMER },
      );
      if (!conversationId) {
        conversationId = c.id;
        await assignConversation(ctx, c.id, { assignee: 'ai_agent' }, { actor: LEAD });
      }
      exchanges.push({ from: 'customer', text: next });
      let { r, replies } = await agentTurn(conversationId, { customer: next });
      // The team acts where the run stands (a manual step, a wait), and the agent goes on from there; when it has
      // nothing to do (the run waits for the customer's answer), the customer answers what was said last.
      let teamActed = false;
      for (;;) {
        const team = await teamActs(ctx, engine, conversationId, s.customer, s.team, teamDone);
        if (!team.length) break;
        teamActed = true;
        ({ r, replies } = await agentTurn(conversationId, { customer: null, team }));
      }
      if (r?.outcome === 'handed_off' || r?.outcome === 'stopped' || (!replies.length && !teamActed)) break;
      next = await customer.reply(exchanges);
    }
    const left = s.team[teamDone.count];
    if (left && !o.signal?.aborted)
      failures.push(`team: the run never stood at ${left.at} for the team's action ${teamDone.count + 1}`);
    failures.push(...(await judge(s, ctx, conversationId, startSeq ?? 0, runs)));
  } catch (e) {
    failures.push(`the trial broke: ${e instanceof Error ? e.message : String(e)}`);
  }
  const result: TrialResult = {
    trial,
    ok: failures.length === 0,
    failures,
    turns: written,
    modelCalls,
    ms: Math.round(performance.now() - t0),
    setupMs,
    runs,
    conversation: [],
  };
  const traces = conversationId ? await listAiTurns(ctx, conversationId).catch(() => undefined) : undefined;
  result.conversation = transcriptTurns(log, traces?.turns ?? []);
  if (o.outDir) {
    const path = join(o.outDir, f.sopId, `${slug(s.name)}.trial-${trial}.md`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, transcript(f, result));
    result.transcript = path;
  }
  await store.close();
  return result;
}

/** Every success criterion, checked on the end state; answers what did not hold. */
async function judge(
  s: Simulation,
  ctx: AgentDeps['ctx'],
  conversationId: string | undefined,
  startSeq: number,
  runs: TrialResult['runs'],
): Promise<string[]> {
  const failures: string[] = [];
  if (!conversationId) return ['no conversation was opened'];
  const conv = await getConversation(ctx, conversationId);
  const replies = conv.messages.filter((m) => m.kind === 'outbound').map((m) => m.body);
  const handedOff = conv.handoffs.length > 0;
  const runRows = (await listSopRuns(ctx.database.db, { customerId: s.customer, limit: 20 })).filter(
    (r) => r.conversationId === conversationId,
  );
  const engine = new SopEngine({ ctx });
  for (const r of runRows.reverse()) {
    const history = await engine.history(r.id).catch(() => undefined);
    const state = (await loadSopRun(ctx, r.id)).state;
    runs.push({
      sopId: r.sopId,
      reached: [
        ...new Set([...(history?.steps.map((h) => h.stepId) ?? []), ...(r.currentStepId ? [r.currentStepId] : [])]),
      ],
      edges: state.edges,
    });
  }
  const last = runRows.at(-1);
  const lastView = last ? await engine.view(last.id).catch(() => undefined) : undefined;
  const events = await rows<{ type: string }>(
    ctx.database.db,
    sql`select type from timeline_events where seq > ${startSeq} order by seq`,
  );
  const vars: Record<string, unknown> = {
    conversation: {
      status: conv.status,
      handedOff,
      assignee: conv.assignee?.kind ?? null,
      replies,
      customerMessages: conv.messages.filter((m) => m.kind === 'inbound').length,
    },
    run: lastView
      ? {
          sopId: lastView.sopId,
          status: lastView.status,
          currentStep: lastView.current?.stepId ?? null,
          refusals: lastView.refusals.map((r) => r.reason ?? r.message),
          inputs: lastView.inputs,
        }
      : null,
    events: events.map((e) => e.type),
  };
  for (const [name, read] of Object.entries(s.success.read)) {
    const tool = TOOLS.find((t) => t.name === read.tool);
    if (!tool?.hints.readOnly) {
      failures.push(`read ${name}: ${read.tool} is not a read-only tool of the catalogue`);
      continue;
    }
    try {
      vars[name] = await invokeTool(ctx, tool, read.args, READER);
    } catch (e) {
      vars[name] = null;
      failures.push(`read ${name} (${read.tool}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const expr of s.success.assert) {
    try {
      const v = evaluateOver(expr, vars);
      if (v !== true) failures.push(`assert ${expr}: got ${JSON.stringify(v)}`);
    } catch (e) {
      failures.push(`assert ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const t of s.success.told)
    if (!replies.some((r) => r.includes(t))) failures.push(`told: no reply to the customer said "${t}"`);
  for (const t of s.success.notTold)
    if (replies.some((r) => r.includes(t))) failures.push(`notTold: a reply to the customer said "${t}"`);
  if (s.success.handoff === true && !handedOff) failures.push('handoff: a person should have taken over, none did');
  if (s.success.handoff === false && handedOff)
    failures.push(`handoff: the conversation went to a person (${conv.handoffs[0]?.summary ?? ''})`);
  return failures;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

type Turns = Awaited<ReturnType<typeof listAiTurns>>['turns'];

/** Each turn of the log with its trace, the trace entries in words. */
function transcriptTurns(log: TurnLog[], turns: Turns): SimulationTurn[] {
  const byId = new Map(turns.map((t) => [t.id, t]));
  return log.map((t) => {
    const turn = t.turnId ? byId.get(t.turnId) : undefined;
    return {
      customer: t.customer,
      ...(t.team ? { team: t.team } : {}),
      agent: t.agent,
      trace: turn
        ? {
            summary: `${turn.stepBefore ?? '-'} → ${turn.stepAfter ?? '-'}, ${turn.outcome}, ${turn.modelCalls} model call(s)`,
            lines: turn.trace.flatMap(traceLine),
          }
        : null,
    };
  });
}

function traceLine(e: Turns[number]['trace'][number]): string[] {
  if (e.type === 'step') return [`step ${e.stepId ?? '-'} (${e.kind ?? '-'}): ${e.note}`];
  if (e.type === 'model_call') return [`model ${e.purpose} #${e.attempt}: ${e.outcome}`];
  if (e.type === 'tool_call')
    return [`tool ${e.tool}${e.refusal ? ` refused: ${e.refusal}` : e.result ? ' done' : ' previewed'}`];
  if (e.type === 'handoff') return [`handoff: ${e.summary}`];
  if (e.type === 'stopped') return [`stopped: ${e.why}`];
  return [];
}

/** A trial's transcript in Markdown: each customer message, the agent's replies, and the trace of its turn beside it. */
function transcript(f: SimulationFile, r: TrialResult): string {
  const s = f.simulation!;
  const out = [
    `# ${s.name} — trial ${r.trial}: ${r.ok ? 'passed' : 'FAILED'}`,
    '',
    `SOP ${f.sopId}, ${f.file}. Goal: ${s.goal}`,
    '',
  ];
  if (r.failures.length) out.push('## What failed', '', ...r.failures.map((x) => `- ${x}`), '');
  out.push('## Conversation', '');
  let n = 0;
  for (const t of r.conversation) {
    for (const x of t.team ?? []) out.push(`**Team:** ${x}`, '');
    if (t.customer !== null) out.push(`**Customer (${++n}):** ${t.customer}`, '');
    for (const a of t.agent) out.push(`**Agent:** ${a.replaceAll('\n', '  \n')}`, '');
    if (!t.trace) continue;
    out.push(`<details><summary>trace: ${t.trace.summary}</summary>`, '', ...t.trace.lines.map((l) => `- ${l}`));
    out.push('', '</details>', '');
  }
  return out.join('\n');
}

/** Runs every valid simulation k times, `concurrency` trials at once; bad files are reported, not run. */
export async function runSuite(o: SuiteOptions): Promise<SuiteReport> {
  const t0 = performance.now();
  const valid = o.files.filter((f): f is SimulationFile & { simulation: Simulation } => !!f.simulation);
  const results = new Map(valid.map((f) => [f, [] as TrialResult[]]));
  const jobs = valid.flatMap((f) => Array.from({ length: o.k }, (_, i) => ({ f, trial: i + 1 })));
  let nextJob = 0;
  const worker = async () => {
    while (nextJob < jobs.length && !o.signal?.aborted) {
      const { f, trial } = jobs[nextJob++]!;
      const r = await runTrial(f, trial, o);
      if (!r) break;
      results.get(f)!.push(r);
      await o.onTrial?.(f, r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 1) }, worker));
  const simulations: SimulationResult[] = valid.map((f) => {
    const trials = results.get(f)!.sort((a, b) => a.trial - b.trial);
    const passes = trials.filter((t) => t.ok).length;
    return {
      sopId: f.sopId,
      file: f.file,
      name: f.simulation.name,
      goal: f.simulation.goal,
      trials,
      passes,
      passHat: passHat(passes, o.k),
    };
  });
  const coverage = [...new Set(valid.map((f) => f.sopId))].flatMap((id) => {
    const doc = o.library.get(id);
    if (!doc) return [];
    const trialRuns = simulations
      .filter((s) => s.sopId === id)
      .flatMap((s) => s.trials.flatMap((t) => t.runs.filter((r) => r.sopId === id)));
    return [coverageOf(doc, trialRuns)];
  });
  const errors = o.files.flatMap((f) => f.errors ?? []);
  const ms = Math.round(performance.now() - t0);
  const ran = simulations.reduce((n, x) => n + x.trials.length, 0);
  return {
    ok: !o.signal?.aborted && errors.length === 0 && simulations.every((s) => s.passes === o.k),
    canceled: !!o.signal?.aborted,
    k: o.k,
    model: o.modelName,
    customer: o.customerName ?? 'scripted',
    simulations,
    errors,
    coverage,
    ms,
    trialsPerMinute: ran ? Math.round((ran * 60_000) / Math.max(1, ms)) : 0,
  };
}

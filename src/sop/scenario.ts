/**
 * SOPs have tests: `sops/<id>/scenarios/*.yaml`. A scenario loads a store fixture, starts a run, gives
 * the answers, evidence and confirms a customer and an agent would, emits the events a wait needs, and
 * checks the tool calls made, the refusals, the messages and the final state.
 */
import { ANSWER_LOOKUP } from './resolve-answer.js';
import type { KoganPort } from '../domain/kogan.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { FixedClock } from '../kernel/clock.js';
import { createConversation } from '../app/inbox/create-conversation.js';
import { CreateConversationInput } from '../app/inbox/schemas.js';
import { createOrder } from '../app/ingest/create-order.js';
import { CustomerInput, OrderInput, ProductInput } from '../app/ingest/schemas.js';
import { upsertCustomer } from '../app/ingest/upsert-customer.js';
import { upsertProduct } from '../app/ingest/upsert-product.js';
import { write } from '../app/write.js';
import { loadSopRun } from '../app/sop/load-sop-run.js';
import type { Actor, TimelineEvent } from '../domain/timeline.js';
import { isDomainError } from '../kernel/errors.js';
import { ID_PREFIX } from '../kernel/ids.js';
import type { ToolDefinition } from '../tools/define.js';
import { SopEngine } from './engine.js';
import { DURATION, durationMs, type SopDocument } from './format.js';
import { libraryOf } from './library.js';
import { render } from './expressions.js';
import { scopeOf } from './runner.js';
import type { Catalogue } from './linter.js';
import type { SopRunView } from './view.js';

/**
 * Someone outside the run acts through a catalogue tool (the warehouse approves, picks up and receives a return), so a
 * wait step sees the real event. Its string arguments may quote the run: `returnId: "{{ steps.start_return.result.result.id }}"`.
 * Not counted in a scenario's `toolCalls`, which are the run's own.
 */
export const OutsideTool = z.object({ tool: z.string(), args: z.record(z.string(), z.unknown()).default({}) });
type OutsideTool = z.infer<typeof OutsideTool>;

/** Time passes: the clock moves on by a duration (`30m`, `48h`, `31d`), e.g. past a wait's timeout. */
export const Advance = z.object({ advance: z.string().regex(DURATION, 'a duration such as 30m, 48h or 7d') });

const Step = z.union([
  z.object({
    step: z.string(),
    answer: z.unknown().optional(),
    evidence: z.record(z.string(), z.unknown()).optional(),
    confirm: z.boolean().optional(),
    /** This submission must be refused with this reason (or error code); the run stays where it is. */
    refused: z.string().optional(),
  }),
  z.object({
    event: z.object({
      type: z.string(),
      customerId: z.string().nullable().default(null),
      orderId: z.string().optional(),
      data: z.record(z.string(), z.unknown()).default({}),
    }),
  }),
  OutsideTool,
  Advance,
]);

const Store = z.object({
  customers: z.array(CustomerInput).default([]),
  products: z.array(ProductInput).default([]),
  orders: z.array(OrderInput).default([]),
});

/**
 * Outside systems configured, in memory (no outbox runs, so nothing is sent; the procedure sees them and takes their
 * tool steps): `kogan` accepts every call and holds no orders, `workBoard` creates every item.
 */
export const Connectors = z.array(z.enum(['kogan', 'workBoard'])).default([]);
type Connectors = z.infer<typeof Connectors>;

export const Scenario = z.object({
  name: z.string(),
  /** When the scenario happens (the clock of its database). */
  now: z.iso.datetime({ offset: true }).default('2026-11-20T10:00:00Z'),
  /** The store: ingest records, or the path of a YAML file of them (relative to the scenario file). */
  store: z.union([z.string(), Store]).default({ customers: [], products: [], orders: [] }),
  start: z
    .object({
      customerId: z.string().optional(),
      conversationId: z.string().optional(),
      /**
       * The run starts from a new conversation with these fields (the inbox's, e.g. `{customerId, channel: kogan,
       * subject, externalRef: KT-4471203}` for a Kogan ticket), as an agent starts it from the conversation they read.
       */
      conversation: CreateConversationInput.optional(),
      inputs: z.record(z.string(), z.unknown()).optional(),
    })
    .refine((st) => !(st.conversation && st.conversationId), {
      message: 'give conversation (a new one) or conversationId, not both',
    })
    .default({}),
  /** Outside systems the scenario's store has configured. */
  connectors: Connectors,
  steps: z.array(Step).default([]),
  expect: z.object({
    status: z.enum(['running', 'waiting', 'completed', 'failed', 'canceled', 'handed_off']),
    /** The step the run stops at, when it is still running or waiting. */
    currentStep: z.string().optional(),
    /** Tool calls made (not previews, refused ones included), in order. */
    toolCalls: z.array(z.string()).optional(),
    refusals: z.array(z.string()).default([]),
    messages: z.array(z.string()).default([]),
    disclosures: z.array(z.string()).default([]),
    failedStep: z.string().optional(),
    compensations: z.array(z.string()).optional(),
  }),
});
export type Scenario = z.infer<typeof Scenario>;

export interface ScenarioFile {
  file: string;
  scenario?: Scenario;
  error?: string;
}

export function scenarioFiles(sopDir: string): ScenarioFile[] {
  const dir = join(sopDir, 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      let raw: unknown;
      try {
        raw = parseYaml(readFileSync(file, 'utf8'));
      } catch (e) {
        return { file, error: `not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
      }
      const r = Scenario.safeParse(raw);
      if (!r.success) return { file, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
      if (typeof r.data.store === 'string') {
        // Relative to the scenario file; an absolute path stays as it is.
        let records: unknown;
        try {
          records = parseYaml(readFileSync(resolve(dir, r.data.store), 'utf8'));
        } catch (e) {
          return { file, error: `store ${r.data.store}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
        }
        const store = Store.safeParse(records);
        if (!store.success)
          return {
            file,
            error: `store ${r.data.store}: ${store.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          };
        r.data.store = store.data;
      }
      return { file, scenario: r.data };
    });
}

export interface ScenarioResult {
  name: string;
  ok: boolean;
  problems: string[];
  edges: string[];
  /** Steps the run reached (completed, or stopped at). */
  reached: string[];
  view?: SopRunView;
}

/** A tool name or an internal id in text meant for the customer: what only an agent should read. */
function agentTalk(text: string, catalogue: Catalogue): string | undefined {
  const tool = catalogue.find((t) => new RegExp(`\\b${t.name}\\b`).test(text));
  if (tool) return `the tool ${tool.name}`;
  const id = new RegExp(`\\b(?:${Object.values(ID_PREFIX).join('|')})_[0-9a-z]{26}\\b`).exec(text);
  return id ? `the internal id ${id[0]}` : undefined;
}

/** Wraps the catalogue so every call of the run's own (not a dry run, not an answer's lookup) is recorded. */
function recording(catalogue: Catalogue, calls: string[]): ToolDefinition[] {
  return catalogue.map((t) => ({
    ...t,
    async run(input, call) {
      // Refused calls count too; previews and the lookups that check an answer do not.
      if (!(input as { dryRun?: boolean }).dryRun && call.idempotencyKey !== ANSWER_LOOKUP) calls.push(t.name);
      return t.run(input, call);
    },
  }));
}

/** A scenario's database and its clock, which stands still until the scenario moves it. */
export type ScenarioContext = AppContext & { clock: FixedClock };

const SYSTEM: Actor = { kind: 'system', id: 'scenario' };
const AGENT: Actor = { kind: 'human', id: 'scenario-agent' };
const STAFF: Actor = { kind: 'human', id: 'scenario-staff' };

async function loadStore(ctx: AppContext, store: Scenario['store']): Promise<void> {
  if (typeof store === 'string') throw new Error(`store file ${store} was not loaded`);
  for (const c of store.customers) await upsertCustomer(ctx, c, { actor: SYSTEM });
  for (const p of store.products) await upsertProduct(ctx, p, { actor: SYSTEM });
  for (const o of store.orders) await createOrder(ctx, o, { actor: SYSTEM });
}

/** A work board that is configured and creates every item (the outbox, which would call it, does not run here). */
const SCENARIO_BOARD: NonNullable<AppContext['workBoard']> = {
  boardId: '1234567890',
  groupId: 'refunds',
  columns: { orderNumber: 'text_order', amount: 'numeric_amount' },
  port: { createItem: async () => ({ kind: 'created', itemId: '9000000001' }) },
};

/** The Kogan connector of a scenario that declares one: it accepts every call and holds no orders. */
const ACCEPTING_KOGAN: KoganPort = {
  listOrders: async () => [],
  getOrder: async () => undefined,
  fulfill: async () => {},
  cancel: async () => {},
  refund: async () => {},
};

/** `ctx` with the outside systems named configured. */
export function withConnectors<C extends AppContext>(ctx: C, connectors: Connectors): C {
  return {
    ...ctx,
    ...(connectors.includes('workBoard') && { workBoard: SCENARIO_BOARD }),
    ...(connectors.includes('kogan') && { kogan: ACCEPTING_KOGAN }),
  };
}

/** Someone outside the run calls a catalogue tool, its string arguments rendered over the run; answers the arguments. */
export async function actOutside(
  ctx: AppContext,
  catalogue: Catalogue,
  runId: string,
  call: OutsideTool,
  actor: Actor,
  idempotencyKey: string,
): Promise<Record<string, unknown>> {
  const tool = catalogue.find((t) => t.name === call.tool);
  if (!tool) throw new Error(`no tool ${call.tool} in the catalogue`);
  const scope = scopeOf(await loadSopRun(ctx, runId), {}, ctx);
  const args = Object.fromEntries(
    Object.entries(call.args).map(([k, v]) => [k, typeof v === 'string' ? render(v, scope) : v]),
  );
  await tool.run(tool.input.parse(args), { ctx, actor, idempotencyKey });
  return args;
}

/** Runs one scenario on `ctx` (a fresh database, on a clock the scenario moves). */
export async function runScenario(
  given: ScenarioContext,
  doc: SopDocument,
  s: Scenario,
  catalogue: Catalogue,
): Promise<ScenarioResult> {
  const ctx = withConnectors(given, s.connectors);
  const problems: string[] = [];
  const calls: string[] = [];
  const engine = new SopEngine({ ctx, catalogue: recording(catalogue, calls), library: libraryOf([doc]) });
  let view: SopRunView | undefined;
  try {
    await loadStore(ctx, s.store);
    const { conversation, ...start } = s.start;
    const from = conversation && (await createConversation(ctx, conversation, { actor: SYSTEM }));
    view = await engine.start(
      { sopId: doc.meta.id, ...start, ...(from ? { conversationId: from.id } : {}) },
      { actor: AGENT },
    );
    for (const [i, st] of s.steps.entries()) {
      if ('advance' in st) {
        ctx.clock.advance(durationMs(st.advance));
        view = await engine.view(view.id);
        continue;
      }
      if ('tool' in st) {
        await actOutside(ctx, catalogue, view.id, st, STAFF, `scenario:${view.id}:${i}`).catch((e) => {
          throw new Error(`step ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
        });
        view = await engine.view(view.id);
        continue;
      }
      if ('event' in st) {
        // Event fields may quote the run: `returnId: "{{ steps.start_return.result.result.id }}"`.
        const scope = scopeOf(await loadSopRun(ctx, view.id), {}, ctx);
        const fill = (v: unknown): unknown => (typeof v === 'string' ? render(v, scope) : v);
        const e = st.event;
        const data = Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, fill(v)]));
        await write(ctx, 'scenario.event', null, { actor: SYSTEM }, ({ record }) =>
          record({
            type: e.type,
            customerId: fill(e.customerId) as string | null,
            orderId: (fill(e.orderId) as string | undefined) ?? null,
            data,
          } as TimelineEvent),
        );
        view = await engine.view(view.id);
        continue;
      }
      const submission = { answer: st.answer, evidence: st.evidence, confirm: st.confirm };
      try {
        view = await engine.submit(view.id, st.step, submission, { actor: AGENT });
        if (st.refused)
          problems.push(`step ${i + 1} (${st.step}): expected a refusal "${st.refused}", but it was accepted`);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        const reason = e.details.reason ?? e.code;
        if (st.refused !== reason && st.refused !== e.code) {
          problems.push(
            `step ${i + 1} (${st.step}): ${st.refused ? `expected refusal "${st.refused}", got` : 'refused:'} ${reason} — ${e.message}`,
          );
          break;
        }
      }
    }
  } catch (e) {
    problems.push(`error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const x = s.expect;
  if (view) {
    if (view.status !== x.status)
      problems.push(
        `status: expected ${x.status}, got ${view.status}${view.failure ? ` (failed at ${view.failure.stepId}: ${view.failure.message})` : ''}${view.current ? ` (at ${view.current.stepId})` : ''}`,
      );
    if (x.currentStep && view.current?.stepId !== x.currentStep)
      problems.push(`current step: expected ${x.currentStep}, got ${view.current?.stepId ?? 'none'}`);
    if (x.toolCalls && JSON.stringify(calls) !== JSON.stringify(x.toolCalls))
      problems.push(`tool calls: expected [${x.toolCalls.join(', ')}], got [${calls.join(', ')}]`);
    const reasons = view.refusals.map((r) => r.reason ?? r.message);
    for (const r of x.refusals)
      if (!reasons.includes(r)) problems.push(`refusal "${r}" expected; refusals were [${reasons.join(', ')}]`);
    const texts = view.messages.map((m) => m.text);
    for (const m of x.messages) if (!texts.some((t) => t.includes(m))) problems.push(`no message contains "${m}"`);
    for (const t of texts) {
      const leak = agentTalk(t, catalogue);
      if (leak)
        problems.push(
          `a message to the customer names ${leak}: "${t}" (say the policy, \`refused.policy\`, not the agent-facing \`refused.message\`)`,
        );
    }
    const disclosures = view.messages.flatMap((m) => m.disclosures);
    for (const d of x.disclosures)
      if (!disclosures.some((t) => t.includes(d))) problems.push(`disclosure "${d}" was not given`);
    if (x.failedStep && view.failure?.stepId !== x.failedStep)
      problems.push(`failed step: expected ${x.failedStep}, got ${view.failure?.stepId ?? 'none'}`);
    // A compensation that failed shows as "tool (failed)", so expecting it to have undone something catches that.
    const compensations = view.compensations.map((c) => `${c.tool}${c.ok ? '' : ' (failed)'}`);
    if (x.compensations && JSON.stringify(compensations) !== JSON.stringify(x.compensations)) {
      problems.push(`compensations: expected [${x.compensations.join(', ')}], got [${compensations.join(', ')}]`);
    }
  }
  const run = view ? await engine.history(view.id).catch(() => undefined) : undefined;
  const reached = [
    ...(run?.steps.map((h) => h.stepId) ?? []),
    ...(view?.current ? [view.current.stepId] : []),
    ...(view?.failure ? [view.failure.stepId] : []),
  ];
  const edges = view ? (await loadSopRun(ctx, view.id)).state.edges : [];
  return {
    name: s.name,
    ok: problems.length === 0,
    problems,
    edges,
    reached: [...new Set(reached)],
    ...(view ? { view } : {}),
  };
}

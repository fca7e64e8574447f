/**
 * The SOP runner. A run lives in the database (src/app/sop); the runner loads it, moves it through its
 * steps — automatically where no one is needed, stopping where a person, an agent or an event is — and
 * saves every completed step. A failed step runs the compensations of the steps already done, newest
 * first, and leaves the run `failed` with the failure and each compensation's outcome in its state.
 */
import type { AppContext, WriteOptions } from '../app/context.js';
import { requireCustomer } from '../app/customers/get-customer-details.js';
import { ConversationId } from '../app/inbox/schemas.js';
import { createSopRun } from '../app/sop/create-sop-run.js';
import { loadSopRun, type SopRun } from '../app/sop/load-sop-run.js';
import { recordSopProgress, type CompletedStep, type SopProgress } from '../app/sop/record-sop-progress.js';
import { isFinal, type SopRunState, type SopRunStatus } from '../domain/sop-run.js';
import type { ReadCursor } from '../db/repo/event-cursor.js';
import type { Actor, RecordedEvidence } from '../domain/timeline.js';
import { conflict, invalid, isDomainError, notFound } from '../kernel/errors.js';
import { evaluate, ExpressionError, type ExprScope } from './expressions.js';
import { durationMs, type SopDocument, type StepOf } from './format.js';
import { END } from './graph.js';
import type { SopLibrary } from './library.js';
import type { Catalogue } from './linter.js';
import { parseSop } from './parser.js';
import { parseAnswer } from './answers.js';
import type { Caller } from '../tools/define.js';
import {
  APPROVAL_EVENT,
  argumentSets,
  callKey,
  callerOf,
  callTool,
  cannotSubmit,
  filledFromConversation,
  idempotencyKeyFor,
  STEP_KINDS,
  toolOf,
  type Done,
  type Failure,
  type StepEnv,
  type StepOutcome,
  type Submission,
} from './step-kinds.js';

export const RUNNER: Actor = { kind: 'system', id: 'sop-runner' };
/** The tool a handed-off run queues its handoff with, and what of its answer the run reports. */
const HANDOFF_TOOL = 'transfer_to_human_representative';
type Handoff = { id: string; conversationId: string };
/** A run that completes this many steps without anyone is looping. */
const MAX_AUTOMATIC_STEPS = 200;

export interface StartSopRunInput {
  sopId: string;
  customerId?: string | undefined;
  conversationId?: string | undefined;
  /** Answers known before the run starts; ask steps for them complete by themselves. */
  inputs?: Record<string, unknown> | undefined;
}

export interface RunnerDeps {
  ctx: AppContext;
  catalogue: Catalogue;
  library: SopLibrary;
}

const docCache = new Map<string, SopDocument>();
/** The SOP text a run started on, parsed (runs resume on that text even if the file has changed since). */
export function documentOf(run: SopRun): SopDocument {
  let doc = docCache.get(run.sopHash);
  if (!doc) {
    const parsed = parseSop(run.source, `${run.sopId}@${run.sopVersion}`);
    if (!parsed.doc)
      throw new Error(`stored SOP ${run.sopId}@${run.sopVersion} no longer parses: ${parsed.issues[0]?.message}`);
    doc = parsed.doc;
    docCache.set(run.sopHash, doc);
  }
  return doc;
}

/** The outside systems configured, as `run.connectors` shows them: a procedure takes a tool step or the manual one. */
export const connectorsOf = (ctx: AppContext | undefined) => ({
  workBoard: ctx?.workBoard !== undefined,
  kogan: ctx?.kogan !== undefined,
});

export function scopeOf(run: SopRun, extra: { event?: unknown } = {}, ctx?: AppContext): ExprScope {
  return {
    inputs: run.state.inputs,
    steps: Object.fromEntries(
      Object.entries(run.state.steps).map(([id, r]) => [
        id,
        { answer: r.answer, evidence: r.evidence, result: r.result, outcome: r.outcome },
      ]),
    ),
    run: {
      id: run.id,
      customerId: run.customerId,
      conversationId: run.conversationId,
      connectors: connectorsOf(ctx),
    },
    ...extra,
  };
}

export function envFor(deps: RunnerDeps, run: SopRun, actor: Actor): StepEnv | undefined {
  const doc = documentOf(run);
  const index = doc.steps.findIndex((s) => s.def.id === run.currentStepId);
  const step = doc.steps[index];
  if (!step) return undefined;
  return {
    ctx: deps.ctx,
    catalogue: deps.catalogue,
    doc,
    run,
    step,
    index,
    actor,
    scope: (extra) => scopeOf(run, extra, deps.ctx),
  };
}

export async function startRun(
  deps: RunnerDeps,
  input: StartSopRunInput,
  opts: WriteOptions & { caller?: Caller | undefined },
): Promise<SopRun> {
  const doc = deps.library.get(input.sopId);
  if (!doc) throw notFound('SOP', input.sopId);
  const allowed = new Set([
    ...doc.meta.inputs,
    ...doc.steps.flatMap((s) => (s.def.kind === 'ask' ? [s.def.input] : [])),
  ]);
  for (const k of Object.keys(input.inputs ?? {})) {
    if (!allowed.has(k))
      throw invalid(
        `inputs.${k}`,
        `the SOP ${doc.meta.id} has no input "${k}"; its inputs are ${[...allowed].join(', ')}`,
      );
  }
  const inputs = { ...(input.inputs ?? {}) };
  // Start inputs are checked like the answers they stand for, before anything is stored.
  for (const st of doc.steps) {
    if (st.def.kind !== 'ask' || inputs[st.def.input] === undefined) continue;
    try {
      inputs[st.def.input] = parseAnswer(st.def, inputs[st.def.input]);
    } catch (e) {
      throw isDomainError(e) ? invalid(`inputs.${st.def.input}`, e.message, { reason: 'invalid_answer' }) : e;
    }
  }
  // A customer named at start must exist: otherwise the run would fail later, at the first tool step that reads them.
  if (input.customerId) await requireCustomer(deps.ctx, input.customerId);
  const known = customerFromExpression(doc, {
    inputs,
    steps: {},
    run: {
      id: null,
      customerId: null,
      conversationId: input.conversationId ?? null,
      connectors: connectorsOf(deps.ctx),
    },
  });
  const run = await createSopRun(
    deps.ctx,
    {
      sop: { id: doc.meta.id, version: doc.meta.version, hash: doc.hash, source: doc.source },
      firstStepId: doc.steps[0]!.def.id,
      customerId: input.customerId ?? known,
      conversationId: input.conversationId,
      inputs,
    },
    opts,
  );
  return advance(deps, run, opts.actor, undefined, opts.caller);
}

/**
 * Steps completed in memory since the run was last saved. They are saved together, in one transaction,
 * when the run stops (it needs someone or an event, or it ended): a crash before that re-runs them —
 * read-only steps by themselves, tool steps under the same idempotency key.
 */
interface Pending {
  saved: SopRun;
  run: SopRun;
  completed: CompletedStep[];
}

async function flush(deps: RunnerDeps, p: Pending, opts: WriteOptions): Promise<SopRun> {
  if (!p.completed.length && p.run.status === p.saved.status && p.run.state === p.saved.state) return p.saved;
  return recordSopProgress(deps.ctx, p.saved, { ...progressOf(p.run), completed: p.completed }, opts);
}

/** Moves the run through every step that needs no one, until one needs an answer, evidence, a confirm or an event. */
export async function advance(
  deps: RunnerDeps,
  start: SopRun,
  actor: Actor,
  pending?: Pending,
  caller?: Caller,
): Promise<SopRun> {
  const p: Pending = pending ?? { saved: start, run: start, completed: [] };
  // The run's progress is recorded as the actor's, while the caller may act.
  const saving: WriteOptions = { actor, precondition: caller?.precondition };
  // Steps that run by themselves run as the runner, within the scope of a caller acting for one customer, and only
  // while that caller may act (its precondition).
  const runnerCaller: Caller | undefined = caller?.customerId
    ? { role: 'admin', actor: RUNNER, customerId: caller.customerId, precondition: caller.precondition }
    : undefined;
  // Only right after a submission (a confirm) do the write steps `confirmedWith` it run by themselves, as its submitter:
  // looking at a run never writes.
  const confirmer = pending ? callerOf({ actor, caller }) : undefined;
  for (let i = 0; i < MAX_AUTOMATIC_STEPS; i++) {
    const run = p.run;
    if (run.status !== 'running' && run.status !== 'waiting') return flush(deps, p, saving);
    const found = envFor(deps, run, RUNNER);
    const env = found && { ...found, caller: runnerCaller, confirmer };
    if (!env) {
      p.run = { ...run, status: 'completed', currentStepId: null };
      return flush(deps, p, saving);
    }
    const outcome = await guard(() => STEP_KINDS[env.step.def.kind].enter(env));
    if (outcome.type === 'input') return flush(deps, p, saving);
    if (outcome.type === 'waiting') {
      if (run.status !== 'waiting' || run.state.wait?.stepId !== env.step.def.id) p.run = waitingRun(run, env, outcome);
      return flush(deps, p, saving);
    }
    await apply(deps, env, outcome, RUNNER, p);
  }
  await apply(
    deps,
    envFor(deps, p.run, RUNNER)!,
    {
      type: 'failed',
      failure: {
        message: `The run completed ${MAX_AUTOMATIC_STEPS} steps without anyone; the SOP loops.`,
        code: 'sop_loops',
      },
    },
    RUNNER,
    p,
  );
  return flush(deps, p, saving);
}

/** The run waiting at its current step: for a wait step's event, or for the approval of a tool step's action. */
function waitingRun(run: SopRun, env: StepEnv, outcome: Extract<StepOutcome, { type: 'waiting' }>): SopRun {
  const wait = outcome.approvalId
    ? {
        stepId: env.step.def.id,
        event: APPROVAL_EVENT,
        ...sinceFields(outcome.sinceCursor),
        since: outcome.since,
        approvalId: outcome.approvalId,
      }
    : waitOf(env.step.def as StepOf<'wait'>, outcome);
  return { ...run, status: 'waiting', state: { ...run.state, wait } };
}

/** What a wait step waits for, kept in the run's state so a worker can look for it in the database. */
function waitOf(
  def: StepOf<'wait'>,
  { sinceCursor, since }: { sinceCursor: ReadCursor; since: string },
): SopRunState['wait'] {
  return {
    stepId: def.id,
    event: def.event,
    ...(def.onEvents.length ? { otherEvents: [...new Set(def.onEvents.map((e) => e.event))] } : {}),
    ...sinceFields(sinceCursor),
    since,
    // With a timeout: when it gives up.
    ...(def.timeout ? { until: new Date(Date.parse(since) + durationMs(def.timeout)).toISOString() } : {}),
  };
}

/** A wait's read cursor as its state keeps it: `sinceSeq`, and the horizon and seen seqs when it has one. */
function sinceFields(c: ReadCursor): Pick<NonNullable<SopRunState['wait']>, 'sinceSeq' | 'sinceHorizon' | 'sinceSeen'> {
  return c.horizon === null ? { sinceSeq: c.seq } : { sinceSeq: c.seq, sinceHorizon: c.horizon, sinceSeen: c.seen };
}

export async function submitStep(
  deps: RunnerDeps,
  runId: string,
  stepId: string,
  s: Submission,
  opts: WriteOptions & { caller?: Caller | undefined },
): Promise<SopRun> {
  let run = await loadSopRun(deps.ctx, runId);
  if (run.status === 'waiting') run = await advance(deps, run, opts.actor, undefined, opts.caller);
  if (isFinal(run.status))
    throw conflict(`This SOP run is ${run.status}; nothing more can be submitted.`, { reason: 'sop_run_not_active' });
  if (run.currentStepId !== stepId) {
    throw conflict(`Step "${stepId}" is not the current step; the run is at "${run.currentStepId}". Reload the run.`, {
      reason: 'not_current_step',
      currentStepId: run.currentStepId,
    });
  }
  const env = { ...envFor(deps, run, opts.actor)!, caller: opts.caller };
  const handler = STEP_KINDS[env.step.def.kind];
  if (!handler.submit) throw cannotSubmit(env);
  const outcome = await guard(() => handler.submit!(env, s));
  // The step's action waits for a person's approval: the run waits on it (and goes on when it is decided).
  if (outcome.type === 'waiting')
    return flush(
      deps,
      { saved: run, run: waitingRun(run, env, outcome), completed: [] },
      { actor: opts.actor, precondition: opts.caller?.precondition },
    );
  if (outcome.type !== 'done' && outcome.type !== 'failed')
    return advance(deps, run, opts.actor, undefined, opts.caller);
  const p: Pending = { saved: run, run, completed: [] };
  await apply(deps, env, outcome, opts.actor, p);
  return advance(deps, p.run, opts.actor, p, opts.caller);
}

/**
 * Stops a run. With `undo`, the compensations of its completed tool steps run first, newest first, as when a step
 * fails, and each outcome is kept in the run's state; without it, what the run did stays done.
 */
export async function cancelRun(
  deps: RunnerDeps,
  runId: string,
  reason: string,
  opts: WriteOptions & { undo?: boolean },
): Promise<SopRun> {
  const run = await loadSopRun(deps.ctx, runId);
  if (isFinal(run.status))
    throw conflict(`This SOP run is ${run.status}; it cannot be canceled.`, { reason: 'sop_run_not_active' });
  const state: SopRunState = { ...run.state, cancelReason: reason };
  if (opts.undo) state.compensations = await compensate(deps, run, opts.actor);
  return recordSopProgress(deps.ctx, run, { ...progressOf(run), status: 'canceled', state, completed: [] }, opts);
}

/** A step's own expression failing is a failure of the run, not a crash. Refusals from the person's input propagate. */
async function guard(fn: () => Promise<StepOutcome>): Promise<StepOutcome> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ExpressionError) return { type: 'failed', failure: { message: e.message, code: e.code } };
    if (isDomainError(e) && e.details.reason === 'bad_tool_arguments')
      return { type: 'failed', failure: { message: e.message, code: e.code, reason: 'bad_tool_arguments' } };
    throw e;
  }
}

function progressOf(run: SopRun): Omit<SopProgress, 'completed'> {
  return { status: run.status, currentStepId: run.currentStepId, customerId: run.customerId, state: run.state };
}

/** The front matter's `customer` expression, once the run knows enough to evaluate it. */
function customerFromExpression(doc: SopDocument, scope: ExprScope): string | null {
  if (!doc.meta.customer) return null;
  try {
    const v = evaluate(doc.meta.customer, scope);
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null; // not known yet
  }
}

function customerOf(doc: SopDocument, run: SopRun, state: SopRunState): string | null {
  return run.customerId ?? customerFromExpression(doc, scopeOf({ ...run, state }));
}

/** Applies a step's outcome to the run in memory (`p.run`), adding the step to `p.completed`. */
async function apply(
  deps: RunnerDeps,
  env: StepEnv,
  outcome: Done | { type: 'failed'; failure: Failure },
  by: Actor,
  p: Pending,
): Promise<void> {
  const run = p.run;
  const id = env.step.def.id;
  // Copy-on-write: new containers for what this step changes; step records are never mutated, so they are
  // shared. (A deep clone here cost time in proportion to the whole run's history, on every step.)
  const { wait: _wait, ...rest } = run.state;
  const state: SopRunState = {
    ...rest,
    inputs: { ...rest.inputs },
    steps: { ...rest.steps },
    completed: [...rest.completed],
    edges: [...rest.edges],
    messages: [...rest.messages],
    notices: [...rest.notices],
    refusals: [...rest.refusals],
  };
  if (outcome.type === 'failed') {
    state.failure = { stepId: id, ...outcome.failure };
    state.compensations = await compensate(deps, run, by);
    p.run = { ...run, status: 'failed', currentStepId: id, customerId: customerOf(env.doc, run, state), state };
    return;
  }
  const at = deps.ctx.clock.now().toISOString();
  state.steps[id] = {
    kind: env.step.def.kind,
    outcome: outcome.label,
    by,
    at,
    ...(outcome.data.answer !== undefined ? { answer: outcome.data.answer } : {}),
    ...(outcome.data.evidence !== undefined ? { evidence: outcome.data.evidence } : {}),
    ...(outcome.data.result !== undefined ? { result: outcome.data.result } : {}),
  };
  state.completed.push(id);
  state.edges.push(`${id} -> ${outcome.final ? END : outcome.goto} (${outcome.label})`);
  Object.assign(state.inputs, outcome.inputs ?? {});
  if (outcome.message) state.messages.push({ stepId: id, ...outcome.message });
  if (outcome.notice) state.notices.push({ stepId: id, message: outcome.notice });
  if (outcome.refusal) state.refusals.push({ stepId: id, ...outcome.refusal });
  let status: SopRunStatus = 'running';
  let currentStepId: string | null = outcome.goto === END ? null : outcome.goto;
  if (outcome.final || currentStepId === null) {
    status = outcome.final?.status ?? 'completed';
    currentStepId = null;
    if (status === 'failed') {
      state.failure = { stepId: id, ...(outcome.final?.failure ?? { message: `The SOP ended as failed at ${id}.` }) };
      state.compensations = await compensate(deps, { ...run, state }, by);
    }
  }
  // Handed over: the run ends handed off, or (an outcome's handoff with goto, a handoff step with next) stays open at
  // its next step for the person who takes the handoff.
  const handoff = outcome.final?.handoff ?? outcome.handoff;
  if (handoff) {
    const handedOver = await handOver(env, { ...run, customerId: customerOf(env.doc, run, state), state }, handoff);
    state.handoff = {
      stepId: id,
      summary: handoff,
      ...(handedOver.handoffId ? { handoffId: handedOver.handoffId } : {}),
    };
    state.notices.push({ stepId: id, message: handedOver.message });
  }
  p.completed.push({
    stepId: id,
    title: env.step.title,
    ...(outcome.data.evidence ? { evidence: recordedEvidence(env, outcome.data.evidence, outcome.data.result) } : {}),
    kind: env.step.def.kind,
    outcome: outcome.label,
    data: { ...outcome.data },
    by,
    at,
  });
  p.run = { ...run, status, currentStepId, customerId: customerOf(env.doc, run, state), state };
}

/**
 * A run handed off puts the customer in the human queue, as transfer_to_human_representative does: a handoff on the
 * run's conversation (else the customer's latest open one, else a new one), with the summary and the run's refusals.
 * Returns what happened, for the run's notices — the handoff queued, or why none was — and the handoff's id.
 */
async function handOver(env: StepEnv, run: SopRun, summary: string): Promise<{ handoffId?: string; message: string }> {
  const queued = (h: Handoff) => ({
    handoffId: h.id,
    message: `Handed to a person: handoff ${h.id} is queued (conversation ${h.conversationId}).`,
  });
  // A step of its own may have queued it already (Handling Returns calls transfer_to_human_representative first).
  const earlier = run.state.completed.find((stepId) => {
    const d = env.doc.steps.find((s) => s.def.id === stepId)?.def;
    return d?.kind === 'tool' && d.tool === HANDOFF_TOOL && run.state.steps[stepId]?.outcome === 'next';
  });
  if (earlier) return queued(run.state.steps[earlier]!.result as Handoff);
  if (!run.customerId)
    return {
      message: 'No handoff was queued: the run does not know the customer. Hand the case to a person yourself.',
    };
  const conversationId = ConversationId.safeParse(run.conversationId).success ? run.conversationId : undefined;
  const args = {
    customerId: run.customerId,
    ...(conversationId ? { conversationId } : {}),
    summary: `${summary} (SOP run ${run.id})`,
    refused: run.state.refusals.map((r) => ({ action: r.tool, reason: r.reason ?? 'refused', why: r.message })),
  };
  try {
    return queued(
      (await callTool(env, toolOf(env, HANDOFF_TOOL), args, `${idempotencyKeyFor(env)}:handoff`)) as Handoff,
    );
  } catch (e) {
    if (isDomainError(e) && e.details.reason === 'handoff_already_queued') {
      return {
        message: `The conversation ${e.details.conversationId} is already waiting for a person; no second handoff was queued.`,
      };
    }
    return {
      message: `No handoff was queued: ${e instanceof Error ? e.message : String(e)} Hand the case to a person yourself.`,
    };
  }
}

/** Undoes what the run did, newest first: each completed tool step that declares `compensate`. */
async function compensate(deps: RunnerDeps, run: SopRun, by: Actor): Promise<SopRunState['compensations']> {
  const doc = documentOf(run);
  const done: SopRunState['compensations'] = [];
  const order = [...new Set([...run.state.completed].reverse())];
  for (const stepId of order) {
    const step = doc.steps.find((s) => s.def.id === stepId);
    if (!step || step.def.kind !== 'tool' || !step.def.compensate) continue;
    if (run.state.steps[stepId]?.outcome !== 'next') continue; // refused: nothing to undo
    const c = step.def.compensate;
    const env: StepEnv = {
      ctx: deps.ctx,
      catalogue: deps.catalogue,
      doc,
      run,
      step,
      index: doc.steps.indexOf(step),
      actor: by,
      scope: () => scopeOf(run, {}, deps.ctx),
    };
    const key = `sop:${run.id}:${stepId}:compensate`;
    // Recorded, never swallowed: the failed run shows which undo did not happen.
    const failed = (e: unknown) =>
      done.push({ stepId, tool: c.tool, ok: false, error: e instanceof Error ? e.message : String(e) });
    let sets: Record<string, unknown>[] = [];
    try {
      sets = argumentSets(step.def, c.args, scopeOf(run, {}, deps.ctx));
    } catch (e) {
      failed(e);
    }
    // A forEach step is undone once per element, newest first like the steps.
    for (let i = sets.length - 1; i >= 0; i--) {
      try {
        const result = await callTool(env, toolOf(env, c.tool), sets[i]!, callKey(step.def, key, i));
        done.push({ stepId, tool: c.tool, ok: true, result });
      } catch (e) {
        failed(e);
      }
    }
  }
  return done;
}

/**
 * A manual step's evidence with the labels its procedure gives each field, in the procedure's order, and — when the
 * run's conversation gave it — where each value came from.
 */
export function recordedEvidence(
  env: Pick<StepEnv, 'step'>,
  evidence: Record<string, unknown>,
  result: unknown,
): RecordedEvidence[] {
  const def = env.step.def;
  if (def.kind !== 'manual') return [];
  const filled = filledFromConversation(result);
  return Object.entries(def.evidence).flatMap(([name, f]) => {
    const value = evidence[name];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? [{ name, label: f.label ?? name, value, ...(filled && f.from ? { from: f.from } : {}) }]
      : [];
  });
}

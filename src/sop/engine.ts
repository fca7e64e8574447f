/**
 * The SOP engine: one object that guided mode (REST, the Agent Inbox, `sopdesk sop run`) and agent mode
 * (the sop_* tools) both drive. The tool catalogue is a parameter, so tests run SOPs on a small fake one.
 */
import { conversationInputs } from './prefill.js';
import type { AppContext, WriteOptions } from '../app/context.js';
import { getSopRunHistory } from '../app/sop/get-sop-run-history.js';
import { loadSopRun } from '../app/sop/load-sop-run.js';
import type { Actor } from '../domain/timeline.js';
import type { Caller } from '../tools/define.js';
import { notFound } from '../kernel/errors.js';
import { TOOLS } from '../tools/catalogue.js';
import type { SopDocument, StepKind } from './format.js';
import { defaultLibrary, type SopLibrary } from './library.js';
import type { Catalogue } from './linter.js';
import { advance, cancelRun, RUNNER, startRun, submitStep, type RunnerDeps, type StartSopRunInput } from './runner.js';
import type { Submission } from './step-kinds.js';
import { viewOf, type SopRunView } from './view.js';

export interface SopSummary {
  id: string;
  title: string;
  version: string;
  appliesWhen: string;
  triggers: string[];
  channel: string;
  stepCount: number;
}

export interface SopDetails extends SopSummary {
  intro: string;
  hash: string;
  steps: { id: string; kind: StepKind; title: string; instructions: string }[];
}

export function summaryOf(doc: SopDocument): SopSummary {
  const m = doc.meta;
  return {
    id: m.id,
    title: m.title,
    version: m.version,
    appliesWhen: m.appliesWhen,
    triggers: m.triggers,
    channel: m.channel,
    stepCount: doc.steps.length,
  };
}

export class SopEngine {
  readonly deps: RunnerDeps;
  constructor(opts: { ctx: AppContext; catalogue?: Catalogue | undefined; library?: SopLibrary | undefined }) {
    // TOOLS is read at construction, after every module (including the sop tools) has loaded.
    this.deps = { ctx: opts.ctx, catalogue: opts.catalogue ?? TOOLS, library: opts.library ?? defaultLibrary() };
  }

  listSops(): SopSummary[] {
    return this.deps.library.list().map(summaryOf);
  }

  getSop(id: string): SopDetails & { source: string } {
    const doc = this.deps.library.get(id);
    if (!doc) throw notFound('SOP', id);
    return {
      ...summaryOf(doc),
      intro: doc.intro,
      hash: doc.hash,
      source: doc.source,
      steps: doc.steps.map((s) => ({ id: s.def.id, kind: s.def.kind, title: s.title, instructions: s.instructions })),
    };
  }

  /**
   * With `prefill` and a conversation, the answers the conversation already knows (`conversationInputs`: its customer,
   * their email, its linked order) are given at start, so those ask steps show as answered; answers given win.
   */
  async start(
    input: StartSopRunInput,
    opts: WriteOptions & { caller?: Caller | undefined; prefill?: boolean },
  ): Promise<SopRunView> {
    const doc = this.deps.library.get(input.sopId);
    const known =
      opts.prefill && doc && input.conversationId
        ? await conversationInputs(this.deps.ctx, doc, {
            conversationId: input.conversationId,
            customerId: input.customerId,
          })
        : {};
    const started = { ...input, inputs: { ...known, ...input.inputs } };
    return viewOf(this.deps, await startRun(this.deps, started, opts), opts.actor, opts.caller);
  }

  /**
   * The run as it stands; a waiting run first looks for the event (or the approval) it waits for. With `caller`, the
   * current step's preview is theirs (their customer scope).
   */
  async view(runId: string, actor: Actor = RUNNER, caller?: Caller): Promise<SopRunView> {
    let run = await loadSopRun(this.deps.ctx, runId);
    if (run.status === 'waiting' || run.status === 'running')
      run = await advance(this.deps, run, actor, undefined, caller);
    return viewOf(this.deps, run, actor, caller);
  }

  /** `caller`: who submits, when the edge knows (their role's limits and their customer scope apply to the step's tool). */
  async submit(
    runId: string,
    stepId: string,
    submission: Submission,
    opts: WriteOptions & { caller?: Caller | undefined },
  ): Promise<SopRunView> {
    return viewOf(this.deps, await submitStep(this.deps, runId, stepId, submission, opts), opts.actor, opts.caller);
  }

  /** Stops a run; with `undo`, first runs the compensations of what it did (see `cancelRun`). */
  async cancel(runId: string, reason: string, opts: WriteOptions & { undo?: boolean }): Promise<SopRunView> {
    return viewOf(this.deps, await cancelRun(this.deps, runId, reason, opts), opts.actor);
  }

  history(runId: string) {
    return getSopRunHistory(this.deps.ctx, runId);
  }
}

const engines = new WeakMap<AppContext, SopEngine>();

/** The engine REST and the sop_* tools use for this context: the one registered, or the built-ins over TOOLS. */
export function sopEngineFor(ctx: AppContext): SopEngine {
  let e = engines.get(ctx);
  if (!e) {
    e = new SopEngine({ ctx });
    engines.set(ctx, e);
  }
  return e;
}

/** Makes REST and the sop_* tools of this context use `engine` (another library or catalogue, e.g. in tests). */
export function useSopEngine(ctx: AppContext, engine: SopEngine): void {
  engines.set(ctx, engine);
}

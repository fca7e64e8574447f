/**
 * What a person (guided mode) or an agent (agent mode) sees of a run: the current step, what it needs
 * — an answer, evidence, a confirm after a preview, or an event — and what happened so far.
 */
import type { SopRun } from '../app/sop/load-sop-run.js';
import type { Actor, RecordedEvidence } from '../domain/timeline.js';
import { isDomainError } from '../kernel/errors.js';
import { durationMs, type EvidenceField, type StepKind, type StepOf } from './format.js';
import { objectShape } from './linter.js';
import { documentOf, envFor, recordedEvidence, type RunnerDeps } from './runner.js';
import { exampleOf } from '../kernel/pattern-example.js';
import { answerContext, APPROVAL_EVENT, argumentSets, callerOf, toolOf, type StepEnv } from './step-kinds.js';
import type { Caller } from '../tools/define.js';
import { runTool } from '../tools/gate.js';

export type StepNeeds = 'answer' | 'evidence' | 'confirm' | 'event' | 'nothing';

export interface CurrentStepView {
  stepId: string;
  kind: StepKind;
  title: string;
  /** The SOP's prose for this step: what to do. */
  instructions: string;
  needs: StepNeeds;
  prompt?: string;
  form?: { input: string; type: string; options?: string[] | undefined; productId?: string | undefined };
  system?: string;
  hints?: string[];
  evidence?: ({ name: string; example?: string | undefined } & EvidenceField)[];
  tool?: {
    name: string;
    title: string;
    readOnly: boolean;
    destructive: boolean;
    arguments?: Record<string, unknown>;
    /** A `forEach` step: the arguments of each call, in order (instead of `arguments`). */
    argumentSets?: Record<string, unknown>[];
    /** The tool's dry run: what would happen. */
    preview?: unknown;
    /** Why the arguments or the preview could not be computed (e.g. the action would be refused). */
    previewError?: { code: string; message: string; reason?: string | undefined };
    /**
     * The step says where a refusal of its tool goes (`onRefused`): submitting a confirm while the preview is refused
     * follows that path instead of failing the run (the Kogan procedure starts a return when a refund needs one).
     */
    followsRefusal?: boolean;
  };
  wait?: {
    event: string;
    when?: string | undefined /** When the wait gives up (its `timeout` after it began), if it has one. */;
    until?: string | undefined;
    /** The other events that end the wait (`onEvents`), and where each leads. */
    otherEvents?: { event: string; when?: string; leadsTo: 'handoff' | 'goto' | 'end'; goto?: string }[];
    approvalId?: string | undefined;
  };
  /** Agent mode: the only tools the agent may call now (through sop_submit_step). */
  allowedTools: string[];
}

export interface SopRunView {
  id: string;
  sopId: string;
  sopVersion: string;
  title: string;
  status: SopRun['status'];
  customerId: string | null;
  conversationId: string | null;
  current: CurrentStepView | null;
  inputs: Record<string, unknown>;
  completedSteps: string[];
  stepTitles: Record<string, string>;
  evidence: {
    stepId: string;
    title: string;
    system?: string;
    fields: RecordedEvidence[];
    by: { kind: Actor['kind']; id: string | null };
    at: string;
  }[];
  messages: SopRun['state']['messages'];
  notices: SopRun['state']['notices'];
  refusals: SopRun['state']['refusals'];
  compensations: SopRun['state']['compensations'];
  failure: NonNullable<SopRun['state']['failure']> | null;
  handoff: NonNullable<SopRun['state']['handoff']> | null;
  cancelReason: string | null;
  updatedAt: string;
}

async function currentStep(
  deps: RunnerDeps,
  run: SopRun,
  actor: Actor,
  caller: Caller | undefined,
): Promise<CurrentStepView | null> {
  if (run.status !== 'running' && run.status !== 'waiting') return null;
  const found = envFor(deps, run, actor);
  if (!found) return null;
  const env = { ...found, caller };
  const d = env.step.def;
  const base = {
    stepId: d.id,
    kind: d.kind,
    title: env.step.title,
    instructions: env.step.instructions,
    allowedTools: [] as string[],
  };
  switch (d.kind) {
    case 'ask':
      return {
        ...base,
        needs: 'answer',
        ...(d.prompt ? { prompt: d.prompt } : {}),
        form: { input: d.input, type: d.type, options: d.options, ...formProduct(env, d) },
      };
    case 'manual':
      return {
        ...base,
        needs: 'evidence',
        ...(d.system ? { system: d.system } : {}),
        hints: d.hints,
        evidence: Object.entries(d.evidence).map(([name, f]) => {
          const example = f.example ?? (f.pattern ? exampleOf(f.pattern) : undefined);
          return { name, ...f, ...(example ? { example } : {}) };
        }),
      };
    case 'wait':
      return {
        ...base,
        needs: 'event',
        wait: {
          event: d.event,
          when: d.when,
          until: waitUntil(run, d),
          otherEvents: d.onEvents.map((o) => ({
            event: o.event,
            ...(o.when ? { when: o.when } : {}),
            leadsTo: o.handoff ? ('handoff' as const) : o.goto ? ('goto' as const) : ('end' as const),
            ...(o.goto ? { goto: o.goto } : {}),
          })),
        },
      };
    case 'tool': {
      const approvalId = run.state.wait?.stepId === d.id ? run.state.wait.approvalId : undefined;
      // Its action waits for a person's approval: nothing to submit until it is decided.
      if (approvalId)
        return {
          ...base,
          needs: 'event',
          tool: await toolView(env, d, false),
          wait: { event: APPROVAL_EVENT, approvalId },
        };
      return { ...base, needs: 'confirm', allowedTools: [d.tool], tool: await toolView(env, d) };
    }
    default:
      return { ...base, needs: 'nothing' };
  }
}

async function toolView(
  env: StepEnv,
  d: StepOf<'tool'>,
  preview = true,
): Promise<NonNullable<CurrentStepView['tool']>> {
  const tool = toolOf(env, d.tool);
  const view: NonNullable<CurrentStepView['tool']> = {
    name: tool.name,
    title: tool.title,
    readOnly: tool.hints.readOnly,
    destructive: tool.hints.destructive,
    ...(d.onRefused ? { followsRefusal: true } : {}),
  };
  try {
    const sets = argumentSets(d, d.args, env.scope());
    if (d.forEach !== undefined) view.argumentSets = sets;
    else view.arguments = sets[0]!;
    if (preview && view.arguments && objectShape(tool.input)?.dryRun) {
      const parsed = tool.input.safeParse({ ...view.arguments, dryRun: true });
      // Through the tool pipeline: a caller acting for one customer previews only that customer's records.
      if (parsed.success) view.preview = await runTool(env.ctx, tool, parsed.data, callerOf(env));
    }
  } catch (e) {
    view.previewError = isDomainError(e)
      ? { code: e.code, message: e.message, reason: e.details.reason }
      : { code: 'preview_failed', message: e instanceof Error ? e.message : String(e) };
  }
  return view;
}

export async function viewOf(deps: RunnerDeps, run: SopRun, actor: Actor, caller?: Caller): Promise<SopRunView> {
  const doc = documentOf(run);
  const s = run.state;
  return {
    id: run.id,
    sopId: run.sopId,
    sopVersion: run.sopVersion,
    title: doc.meta.title,
    status: run.status,
    customerId: run.customerId,
    conversationId: run.conversationId,
    current: await currentStep(deps, run, actor, caller),
    inputs: s.inputs,
    completedSteps: s.completed,
    stepTitles: Object.fromEntries(doc.steps.map((st) => [st.def.id, st.title])),
    evidence: [...new Set(s.completed)].flatMap((stepId) => {
      const st = doc.steps.find((x) => x.def.id === stepId);
      const r = s.steps[stepId];
      if (st?.def.kind !== 'manual' || !r?.evidence) return [];
      return [
        {
          stepId,
          title: st.title,
          ...(st.def.system ? { system: st.def.system } : {}),
          fields: recordedEvidence({ step: st }, r.evidence as Record<string, unknown>, r.result),
          by: { kind: r.by.kind, id: r.by.id ?? null },
          at: r.at,
        },
      ];
    }),
    messages: s.messages,
    // A check that failed and was asked again until it passed says nothing any more.
    notices: s.notices.filter((n) => s.steps[n.stepId]?.outcome !== 'next'),
    refusals: s.refusals,
    compensations: s.compensations,
    failure: s.failure ?? null,
    handoff: s.handoff ?? null,
    cancelReason: s.cancelReason ?? null,
    updatedAt: run.updatedAt,
  };
}

/** The deadline of a wait with a timeout, counted from when the run began waiting. */
function waitUntil(run: SopRun, d: StepOf<'wait'>): string | undefined {
  const since = run.state.wait?.stepId === d.id ? run.state.wait.since : undefined;
  return d.timeout && since ? new Date(Date.parse(since) + durationMs(d.timeout)).toISOString() : undefined;
}

/** A variant ask's product, for the picker to list its variants; none when the expression cannot be evaluated yet. */
function formProduct(env: Parameters<typeof answerContext>[0], d: StepOf<'ask'>): { productId?: string } {
  if (d.product === undefined) return {};
  try {
    const { productId } = answerContext(env, d);
    return productId ? { productId } : {};
  } catch {
    return {};
  }
}

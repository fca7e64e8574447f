/**
 * One function per step kind. `enter` runs when the run reaches the step: it completes the step on its
 * own (check, say, branch, read-only tool…) or says the step needs someone (`input`) or an event
 * (`waiting`). `submit` takes what a person or agent gives for ask, manual and tool steps.
 */
import { isDomainError, type DomainError, invalid, notEligible, conflict } from '../kernel/errors.js';
import type { Actor } from '../domain/timeline.js';
import type { SopRun } from '../app/sop/load-sop-run.js';
import type { AppContext } from '../app/context.js';
import { isNotInCharge } from '../app/write.js';
import { currentTimelineCursor, findAwaitedEvent, type AwaitedEvent } from '../app/sop/find-awaited-event.js';
import { START, type ReadCursor } from '../db/repo/event-cursor.js';
import type { Caller, ToolDefinition } from '../tools/define.js';
import { isApprovalRequired, runTool } from '../tools/gate.js';
import { parseAnswer, parseEvidence } from './answers.js';
import { conversationTicket } from './prefill.js';
import { ANSWER_LOOKUP, resolveAnswer, type AnswerContext, type Lookup } from './resolve-answer.js';
import { evaluate, evaluateBool, evaluateList, ExpressionError, render, type ExprScope } from './expressions.js';
import {
  durationMs,
  elementNameOf,
  MAX_FOR_EACH,
  type Outcome,
  type SopDocument,
  type SopStep,
  type StepOf,
  waitEndLabel,
} from './format.js';
import { defaultNext } from './graph.js';
import type { Catalogue } from './linter.js';

export interface StepEnv {
  ctx: AppContext;
  catalogue: Catalogue;
  doc: SopDocument;
  run: SopRun;
  step: SopStep;
  index: number;
  actor: Actor;
  /** Who acts, when the edge knows (their role decides their limits, their customer their scope); else from `actor`. */
  caller?: Caller | undefined;
  /**
   * Who moved the run on by a submission (a confirm, an answer), while the run completes the steps after it by itself
   * in the same request: a write step `confirmedWith` an earlier one runs as them, within their scope and limits.
   */
  confirmer?: Caller | undefined;
  scope(extra?: { event?: unknown }): ExprScope;
}

/** What a person or an agent submits for the current step. */
export interface Submission {
  answer?: unknown;
  evidence?: unknown;
  /** For a tool step that writes: true after reviewing the preview. */
  confirm?: boolean | undefined;
  /** Agent mode: the tool the agent calls; must be the step's tool. */
  tool?: string | undefined;
  /** Agent mode: the arguments the agent passes; must equal the SOP's. */
  arguments?: Record<string, unknown> | undefined;
}

export interface Failure {
  message: string;
  code?: string | undefined;
  reason?: string | undefined;
}

export interface Done {
  type: 'done';
  data: { answer?: unknown; evidence?: Record<string, unknown>; result?: unknown };
  /** A step id, or END. */
  goto: string;
  label: string;
  inputs?: Record<string, unknown>;
  message?: { text: string; disclosures: string[] };
  notice?: string;
  refusal?: { tool: string; reason?: string | undefined; message: string };
  /** Hand the customer to a person, and go on at `goto`: the run stays open, for the person who takes the handoff. */
  handoff?: string;
  final?: { status: 'completed' | 'failed' | 'handed_off'; failure?: Failure; handoff?: string };
}

export type StepOutcome =
  | { type: 'input' }
  | { type: 'waiting'; sinceCursor: ReadCursor; since: string; approvalId?: string }
  | Done
  | { type: 'failed'; failure: Failure };

export interface StepKindHandler {
  enter(env: StepEnv): Promise<StepOutcome>;
  submit?(env: StepEnv, s: Submission): Promise<StepOutcome>;
}

const next = (env: StepEnv) => defaultNext(env.doc, env.index);

/**
 * A check failing, a tool refusing or a wait ending otherwise: say something, then goto, handoff or end. What an outcome
 * that sends the run back to a manual step says is for the person who does that step again (copy the reference
 * again): a notice, never a message to the customer.
 */
function follow(
  env: StepEnv,
  o: Outcome,
  label: string,
  base: Omit<Done, 'type' | 'goto' | 'label'>,
  extra?: { event: unknown },
): Done {
  // The message may quote this step's own result (e.g. the refusal) and the event that ended a wait: put them in scope.
  const scope = env.scope(extra);
  scope.steps = { ...scope.steps, [env.step.def.id]: { result: base.data.result, outcome: label } };
  const text = o.say ? render(o.say, scope) : undefined;
  const toPerson = o.goto !== undefined && env.doc.steps.find((s) => s.def.id === o.goto)?.def.kind === 'manual';
  const done: Done = { type: 'done', goto: o.goto ?? next(env), label, ...base };
  if (text && !toPerson) done.message = { text, disclosures: [] };
  else if (text && !base.notice?.includes(text)) done.notice = [base.notice, text].filter(Boolean).join(' ');
  if (o.handoff && o.goto) done.handoff = render(o.handoff, scope);
  else if (o.handoff) done.final = { status: 'handed_off', handoff: render(o.handoff, scope) };
  else if (o.end)
    done.final = {
      status: o.end,
      ...(o.end === 'failed' ? { failure: { message: base.notice ?? `Ended at step ${env.step.def.id}.` } } : {}),
    };
  return done;
}

export function toolOf(env: StepEnv, name: string): ToolDefinition {
  const tool = env.catalogue.find((t) => t.name === name);
  if (!tool) throw new ExpressionError(`The tool "${name}" is not in the catalogue (run \`sopdesk sop lint\`).`);
  return tool;
}

export function evaluateArgs(args: Record<string, string>, scope: ExprScope): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, e]) => [k, evaluate(e, scope)]));
}

/**
 * The arguments a tool step calls `args` (its own, or its compensation's) with: one set, or — with `forEach` —
 * one per element of the list, in order, the element bound to its name and its position to `<name>Index`.
 * The one place a loop is expanded: the step, its compensation and the view all call this.
 */
export function argumentSets(
  def: StepOf<'tool'>,
  args: Record<string, string>,
  scope: ExprScope,
): Record<string, unknown>[] {
  if (def.forEach === undefined) return [evaluateArgs(args, scope)];
  const name = elementNameOf(def);
  const list = evaluateList(def.forEach, scope);
  if (list.length > MAX_FOR_EACH) {
    throw new ExpressionError(
      `forEach \`${def.forEach}\` gave ${list.length} elements; a step calls its tool for at most ${MAX_FOR_EACH}.`,
      'foreach_too_long',
    );
  }
  return list.map((element, index) => evaluateArgs(args, { ...scope, loop: { name, element, index } }));
}

/** The idempotency key of call `index` of a step: the step's own key, with `#<index>` in a loop. */
export function callKey(def: StepOf<'tool'>, key: string, index: number): string {
  return def.forEach === undefined ? key : `${key}#${index}`;
}

/** The event a tool step waits on while its action waits for a person's approval. */
export const APPROVAL_EVENT = 'approval.decided';

/** The caller of a step's tool: the edge's, or one made from the actor (a human without a known role: an agent). */
export function callerOf(env: Pick<StepEnv, 'actor' | 'caller'>): Caller {
  if (env.caller) return env.caller;
  const role = env.actor.kind === 'ai_agent' ? 'ai_agent' : env.actor.kind === 'human' ? 'agent' : 'admin';
  return { role, actor: env.actor };
}

/**
 * Runs a catalogue tool with SOP-computed arguments through the tool pipeline (the caller's scope and limits);
 * arguments that do not fit its schema are invalid_argument. A write above the caller's limits answers
 * `{ approvalRequired }` instead of its result.
 */
export async function callTool(
  env: StepEnv,
  tool: ToolDefinition,
  args: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<unknown> {
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(`args.${i?.path.join('.') ?? ''}`, `${tool.name}: ${i?.message ?? 'invalid arguments'}`, {
      reason: 'bad_tool_arguments',
    });
  }
  return runTool(env.ctx, tool, parsed.data, callerOf(env), idempotencyKey);
}

export function idempotencyKeyFor(env: StepEnv): string {
  const visits = env.run.state.edges.filter((e) => e.startsWith(`${env.step.def.id} -> `)).length;
  return `sop:${env.run.id}:${env.step.def.id}${visits ? `:${visits + 1}` : ''}`;
}

/**
 * Calls the step's tool once, or once per element of its `forEach` list (then the result is the list of results,
 * in order). A refusal stops the loop: with `onRefused`, the result is `{refused, index, results}` (the results
 * before it); without, the step fails.
 */
async function runToolStep(env: StepEnv, def: StepOf<'tool'>): Promise<StepOutcome> {
  const tool = toolOf(env, def.tool);
  const sets = argumentSets(def, def.args, env.scope());
  const key = idempotencyKeyFor(env);
  const results: unknown[] = [];
  for (const [index, args] of sets.entries()) {
    try {
      const answer = await callTool(env, tool, args, callKey(def, key, index));
      // A write waits for a person's approval (writes never loop, so this is the step's one call).
      if (isApprovalRequired(answer)) {
        const now = env.ctx.clock.now().toISOString();
        return { type: 'waiting', sinceCursor: START, since: now, approvalId: answer.approvalRequired.id };
      }
      results.push(answer);
    } catch (e) {
      // The caller may no longer act (a person took the AI's conversation): nothing ran, and the run stays at its step.
      if (isNotInCharge(e)) throw e;
      const call = def.forEach === undefined ? def.tool : `${def.tool} (element ${index + 1} of ${sets.length})`;
      if (isDomainError(e) && (e.code === 'not_eligible' || e.code === 'not_found') && def.onRefused) {
        const refused = e.toJSON();
        const refusal = { tool: def.tool, reason: e.details.reason ?? e.code, message: e.message };
        const result = def.forEach === undefined ? { refused } : { refused, index, results };
        return follow(env, def.onRefused, 'tool refused', {
          data: { result },
          refusal,
          notice: `${call} refused: ${e.message}`,
        });
      }
      const again = isDomainError(e) ? askAgain(env, def, e) : null;
      if (again) return again;
      if (isDomainError(e))
        return {
          type: 'failed',
          failure: { message: `${call}: ${e.message}`, code: e.code, reason: e.details.reason },
        };
      if (e instanceof ExpressionError) throw e;
      // A system that failed (a connector down, a bug in a tool) fails the step; the run compensates.
      return {
        type: 'failed',
        failure: { message: `${call} failed: ${e instanceof Error ? e.message : String(e)}`, code: 'tool_failed' },
      };
    }
  }
  return {
    type: 'done',
    data: { result: def.forEach === undefined ? results[0] : results },
    goto: next(env),
    label: 'next',
  };
}

/** Whether the run's latest pass through tool step `stepId` did its action (confirmed and run, not refused). */
function actionDone(env: StepEnv, stepId: string): boolean {
  const r = env.run.state.steps[stepId];
  return r?.kind === 'tool' && r.outcome === 'next';
}

/** The catalogue's read-only tools, for looking up what an answer names (null: the catalogue has no such tool). */
/** The run's customer (whose payment methods a paymentMethod ask offers) and the product of a variant ask. */
export function answerContext(env: Pick<StepEnv, 'run' | 'scope' | 'doc'>, def: StepOf<'ask'>): AnswerContext {
  const text = (e: string | undefined): string | null => {
    if (e === undefined) return null;
    const v = evaluate(e, env.scope());
    return typeof v === 'string' && v ? v : null;
  };
  let customerId = env.run.customerId;
  try {
    customerId ??= text(env.doc.meta.customer);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e; // not known yet
  }
  return { customerId, productId: text(def.product) };
}

function lookupFor(env: StepEnv): Lookup {
  return (name, args) => {
    const tool = env.catalogue.find((t) => t.name === name);
    return tool?.hints.readOnly ? callTool(env, tool, args, ANSWER_LOOKUP) : null;
  };
}

/**
 * A tool step that finds nothing for what someone answered (an id nobody has, an argument its schema refuses) goes
 * back to that ask step instead of failing the run: the answer was wrong, not the procedure. Only when nothing was
 * changed since the answer (no write tool step completed after it), so going back repeats only reads.
 */
function askAgain(env: StepEnv, def: StepOf<'tool'>, e: DomainError): Done | null {
  if (e.code !== 'not_found' && e.code !== 'invalid_argument') return null;
  const named = new Set(
    [
      ...Object.values(def.args)
        .join(' ')
        .matchAll(/\binputs\.([A-Za-z_]\w*)/g),
    ].map((m) => m[1]!),
  );
  const { completed } = env.run.state;
  let best: { id: string; title: string; at: number } | null = null;
  for (const s of env.doc.steps) {
    if (s.def.kind !== 'ask' || !named.has(s.def.input)) continue;
    const at = completed.lastIndexOf(s.def.id);
    if (at >= 0 && (!best || at > best.at)) best = { id: s.def.id, title: s.title, at };
  }
  if (!best) return null;
  const wrote = completed.slice(best.at + 1).some((id) => {
    const d = env.doc.steps.find((s) => s.def.id === id)?.def;
    return d?.kind === 'tool' && !env.catalogue.find((t) => t.name === d.tool)?.hints.readOnly;
  });
  if (wrote) return null;
  return {
    type: 'done',
    data: { result: { refused: e.toJSON() } },
    goto: best.id,
    label: 'asked again',
    notice: `${env.step.title}: ${e.message} The question "${best.title}" is asked again.`,
  };
}

/** A manual step's result when the run's conversation gave its evidence: where the evidence came from. */
const FILLED = { filledFromConversation: true } as const;

export function filledFromConversation(result: unknown): boolean {
  return sameJson(result, FILLED);
}

/**
 * The evidence of a manual step whose every field says `from:` what the run's conversation knows, when it knows it
 * and it is valid evidence (a ticket reference that does not match the field's pattern is asked for). Once, like a
 * start input: coming back to the step (a goto) asks a person.
 */
async function evidenceFromConversation(
  env: StepEnv,
  def: StepOf<'manual'>,
): Promise<Record<string, unknown> | undefined> {
  const fields = Object.entries(def.evidence);
  const { conversationId, customerId } = env.run;
  if (!conversationId || env.run.state.steps[def.id] || fields.some(([, f]) => f.from === undefined)) return undefined;
  const ticket = await conversationTicket(env.ctx, { conversationId, customerId });
  if (ticket === undefined) return undefined;
  try {
    return parseEvidence(def, Object.fromEntries(fields.map(([name]) => [name, ticket])));
  } catch (e) {
    if (isDomainError(e) && e.details.reason === 'invalid_evidence') return undefined;
    throw e;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const STEP_KINDS: Record<SopStep['def']['kind'], StepKindHandler> = {
  ask: {
    async enter(env) {
      const def = env.step.def as StepOf<'ask'>;
      const given = env.run.state.inputs[def.input];
      // A value given at start answers the step once; coming back to it (a goto) asks again.
      if (given === undefined || env.run.state.steps[def.id]) return { type: 'input' };
      let answer: unknown;
      try {
        answer = await resolveAnswer(def, parseAnswer(def, given), lookupFor(env), answerContext(env, def));
      } catch (e) {
        // A prefilled value that names nothing (an order of another store, a typo in a link): ask for it.
        if (isDomainError(e) && e.details.reason === 'invalid_answer') return { type: 'input' };
        throw e;
      }
      return { type: 'done', data: { answer }, inputs: { [def.input]: answer }, goto: next(env), label: 'next' };
    },
    async submit(env, s) {
      const def = env.step.def as StepOf<'ask'>;
      // An answer that names no record is refused here (invalid_answer): the step is asked again, the run goes on.
      const answer = await resolveAnswer(def, parseAnswer(def, s.answer), lookupFor(env), answerContext(env, def));
      return { type: 'done', data: { answer }, inputs: { [def.input]: answer }, goto: next(env), label: 'next' };
    },
  },

  tool: {
    async enter(env) {
      const def = env.step.def as StepOf<'tool'>;
      const tool = toolOf(env, def.tool);
      if (tool.hints.readOnly) return runToolStep(env, def);
      // Its action waits for a person's approval: asked again under the same key, the request answers (still
      // pending: wait on; approved: the action's result; declined: a refusal).
      if (env.run.state.wait?.stepId === def.id && env.run.state.wait.approvalId) return runToolStep(env, def);
      // The linter reports this too (foreach_write_tool); a write takes a list and gets one preview, confirm and key.
      if (def.forEach !== undefined) {
        return {
          type: 'failed',
          failure: {
            message: `${def.tool} changes things, so it cannot run in a forEach loop; pass it the list instead.`,
            code: 'foreach_write_tool',
          },
        };
      }
      // Part of an action already agreed to: the confirm of that step covers this one, once its action was done.
      if (env.confirmer && def.confirmedWith !== undefined && actionDone(env, def.confirmedWith))
        return runToolStep({ ...env, caller: env.confirmer }, def);
      return { type: 'input' };
    },
    async submit(env, s) {
      const def = env.step.def as StepOf<'tool'>;
      if (s.tool !== undefined && s.tool !== def.tool) {
        throw notEligible(
          'tool_not_allowed',
          `This step allows only the tool ${def.tool}, not ${s.tool}.`,
          'An SOP run offers only the tools its current step allows.',
        );
      }
      if (s.arguments !== undefined) {
        const expected = evaluateArgs(def.args, env.scope());
        const given = Object.fromEntries(
          Object.entries(s.arguments).filter(([k]) => k !== 'dryRun' && k !== 'idempotencyKey'),
        );
        if (!sameJson(Object.entries(given).sort(), Object.entries(expected).sort())) {
          throw notEligible(
            'arguments_differ',
            `This step calls ${def.tool} with ${JSON.stringify(expected)}; the arguments given differ.`,
            'An SOP run calls tools with the arguments its procedure defines.',
            { expected },
          );
        }
      }
      if (s.confirm !== true) {
        throw invalid('confirm', `${def.tool} changes the order: review the preview, then submit confirm: true`, {
          reason: 'confirmation_required',
        });
      }
      return runToolStep(env, def);
    },
  },

  check: {
    async enter(env) {
      const def = env.step.def as StepOf<'check'>;
      if (evaluateBool(def.when, env.scope()))
        return { type: 'done', data: { result: true }, goto: next(env), label: 'next' };
      const why = def.onFail.say ? render(def.onFail.say, env.scope()) : `The check \`${def.when}\` failed.`;
      return follow(env, def.onFail, 'check failed', { data: { result: false }, notice: `${env.step.title}: ${why}` });
    },
  },

  say: {
    async enter(env) {
      const def = env.step.def as StepOf<'say'>;
      const scope = env.scope();
      const message = { text: render(def.message, scope), disclosures: def.disclosures.map((d) => render(d, scope)) };
      return { type: 'done', data: { result: message }, message, goto: next(env), label: 'next' };
    },
  },

  manual: {
    async enter(env) {
      const def = env.step.def as StepOf<'manual'>;
      const evidence = await evidenceFromConversation(env, def);
      if (!evidence) return { type: 'input' };
      return { type: 'done', data: { evidence, result: FILLED }, goto: next(env), label: 'next' };
    },
    async submit(env, s) {
      const evidence = parseEvidence(env.step.def as StepOf<'manual'>, s.evidence);
      return { type: 'done', data: { evidence }, goto: next(env), label: 'next' };
    },
  },

  wait: {
    async enter(env) {
      const def = env.step.def as StepOf<'wait'>;
      const w = env.run.state.wait?.stepId === def.id ? env.run.state.wait : undefined;
      const now = env.ctx.clock.now();
      // What ends the wait: its event (index 0, on to next), or one of onEvents (index i + 1). The first on the timeline wins.
      const ends = [{ event: def.event, when: def.when }, ...def.onEvents];
      const types = [...new Set(ends.map((x) => x.event))];
      const customerId = env.run.customerId;
      const sinceCursor: ReadCursor = w
        ? { seq: w.sinceSeq, horizon: w.sinceHorizon ?? null, seen: w.sinceSeen ?? [] }
        : await currentTimelineCursor(env.ctx, { types, customerId });
      const since = w?.since ?? now.toISOString();
      const endOf = (e: AwaitedEvent) =>
        ends.findIndex((x) => x.event === e.type && (!x.when || evaluateBool(x.when, env.scope({ event: e }))));
      const found = await findAwaitedEvent(env.ctx, { types, after: sinceCursor, customerId }, (e) => endOf(e) >= 0);
      if (found) {
        const i = endOf(found) - 1;
        const other = def.onEvents[i];
        if (!other) return { type: 'done', data: { result: found }, goto: next(env), label: 'next' };
        return follow(
          env,
          other,
          waitEndLabel(def, i),
          { data: { result: found }, notice: `${env.step.title}: ${found.type} instead of ${def.event}.` },
          { event: found },
        );
      }
      if (def.timeout && def.onTimeout && now.getTime() >= Date.parse(since) + durationMs(def.timeout)) {
        return follow(env, def.onTimeout, 'timed out', {
          data: { result: { timedOut: true, event: def.event, since, timeout: def.timeout } },
          notice: `${env.step.title}: no ${def.event} within ${def.timeout}.`,
        });
      }
      return { type: 'waiting', sinceCursor, since };
    },
  },

  branch: {
    async enter(env) {
      const def = env.step.def as StepOf<'branch'>;
      const scope = env.scope();
      const i = def.cases.findIndex((c) => evaluateBool(c.when, scope));
      const c = def.cases[i];
      return c
        ? { type: 'done', data: { result: `case ${i + 1}` }, goto: c.goto, label: `case ${i + 1}` }
        : { type: 'done', data: { result: 'otherwise' }, goto: def.otherwise ?? next(env), label: 'otherwise' };
    },
  },

  goto: {
    async enter(env) {
      const def = env.step.def as StepOf<'goto'>;
      return { type: 'done', data: {}, goto: def.goto, label: 'goto' };
    },
  },

  handoff: {
    async enter(env) {
      const def = env.step.def as StepOf<'handoff'>;
      const summary = render(def.summary, env.scope());
      const done = { type: 'done', data: { result: { summary } }, goto: next(env), label: 'handoff' } as const;
      // With `next` the run hands over and goes on there, open for the person; without, it ends handed off.
      return def.next ? { ...done, handoff: summary } : { ...done, final: { status: 'handed_off', handoff: summary } };
    },
  },

  end: {
    async enter(env) {
      const def = env.step.def as StepOf<'end'>;
      const message = def.say ? { text: render(def.say, env.scope()), disclosures: [] } : undefined;
      return {
        type: 'done',
        data: {},
        goto: next(env),
        label: 'end',
        ...(message ? { message } : {}),
        final: {
          status: def.status,
          ...(def.status === 'failed'
            ? { failure: { message: message?.text ?? `The SOP ended as failed at ${def.id}.` } }
            : {}),
        },
      };
    },
  },
};

export function cannotSubmit(env: StepEnv): DomainError {
  const kind = env.step.def.kind;
  return kind === 'wait'
    ? conflict(
        `Step "${env.step.def.id}" waits for the event ${(env.step.def as StepOf<'wait'>).event}; nothing can be submitted for it.`,
        { reason: 'step_waits_for_event' },
      )
    : conflict(`Step "${env.step.def.id}" (${kind}) runs by itself; nothing can be submitted for it.`, {
        reason: 'step_is_automatic',
      });
}

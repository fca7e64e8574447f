/**
 * Conditions, tool arguments and message placeholders are CEL (github.com/google/cel-spec), evaluated by
 * @marcbachmann/cel-js — never `eval`. Variables: `inputs` (answers), `steps` (each step's result /
 * evidence), `run` (id, customerId, conversationId), in a wait `event` (the timeline event) and, in the
 * arguments of a `forEach` tool step, the element (`item`, or the step's `as`) and its position (`itemIndex`).
 */
import { Environment, type ASTNode } from '@marcbachmann/cel-js';

const env = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('inputs', 'map')
  .registerVariable('steps', 'map')
  .registerVariable('run', 'map')
  .registerVariable('event', 'map');

/** The variables every expression may use; anything else is a loop's element or unknown. */
export const SCOPE_ROOTS: readonly string[] = ['inputs', 'steps', 'run', 'event'];

/** A `forEach` step's element while its arguments are evaluated: bound to `name`, its position to `<name>Index`. */
export interface LoopElement {
  name: string;
  element: unknown;
  index: number;
}

export type ExprScope = {
  inputs: Record<string, unknown>;
  steps: Record<string, unknown>;
  run: Record<string, unknown>;
  event?: unknown;
  loop?: LoopElement;
};

/** The variables a loop binds: the element and its position. */
export function loopVariables(name: string): [string, string] {
  return [name, `${name}Index`];
}

const loopEnvs = new Map<string, Environment>();
function environmentOf(loop: LoopElement | undefined): Environment {
  if (!loop) return env;
  let e = loopEnvs.get(loop.name);
  if (!e) {
    const [element, index] = loopVariables(loop.name);
    e = env.clone().registerVariable(element, 'dyn').registerVariable(index, 'int');
    loopEnvs.set(loop.name, e);
  }
  return e;
}

export interface Reference {
  /** `inputs`, `steps`, `run`, `event` — anything else is an unknown variable. */
  root: string;
  /** The first key after the root: an input name or a step id. */
  key?: string | undefined;
}

export type Compiled = { ok: true; refs: Reference[] } | { ok: false; message: string };

/** Parses an expression and lists what it refers to; a syntax error or an unknown variable is a message. */
export function compile(expression: string): Compiled {
  try {
    const parsed = env.parse(expression);
    const refs: Reference[] = [];
    collect(parsed.ast, refs, new Set());
    return { ok: true, refs };
  } catch (e) {
    return { ok: false, message: firstLine(e) };
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
}

const ROOTS = new Set(SCOPE_ROOTS);
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function collect(node: unknown, refs: Reference[], locals: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, refs, locals);
    return;
  }
  if (!node || typeof node !== 'object' || !('op' in node)) return;
  const n = node as ASTNode & { op: string; args: unknown };
  if (n.op === 'id') {
    const name = n.args as string;
    if (!locals.has(name)) refs.push({ root: name });
    return;
  }
  if (n.op === '.' || n.op === '.?' || n.op === '[]' || n.op === '[?]') {
    const [target, key] = n.args as [ASTNode & { op: string; args: unknown }, unknown];
    if (target.op === 'id' && ROOTS.has(target.args as string) && !locals.has(target.args as string)) {
      const k =
        typeof key === 'string'
          ? key
          : (key as { op?: string; args?: unknown }).op === 'value'
            ? String((key as { args: unknown }).args)
            : undefined;
      refs.push({ root: target.args as string, key: k });
      if (typeof key !== 'string') collect(key, refs, locals);
      return;
    }
    collect(target, refs, locals);
    if (typeof key !== 'string') collect(key, refs, locals);
    return;
  }
  if (n.op === 'rcall') {
    const [, target, args] = n.args as [string, unknown, unknown[]];
    collect(target, refs, locals);
    // Macros (all, exists, map, filter) bind their first argument as a local variable.
    const first = args[0] as { op?: string; args?: unknown } | undefined;
    if (MACROS.has(n.args[0] as string) && first?.op === 'id' && args.length > 1) {
      collect(args.slice(1), refs, new Set([...locals, first.args as string]));
    } else collect(args, refs, locals);
    return;
  }
  if (n.op === 'call') {
    collect((n.args as [string, unknown[]])[1], refs, locals);
    return;
  }
  if (n.op === 'value') return;
  if (n.op === 'map') {
    for (const [k, v] of n.args as [unknown, unknown][]) {
      collect(k, refs, locals);
      collect(v, refs, locals);
    }
    return;
  }
  collect(n.args, refs, locals);
}

/** CEL integers are bigint; tools and JSON want numbers. */
export function toPlain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), toPlain(x)]));
  if (v && typeof v === 'object' && (v as object).constructor === Object) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  }
  return v;
}

/** An expression that cannot be evaluated, or whose value does not fit where it is used: the step fails with `code`. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly code = 'expression_error',
  ) {
    super(message);
  }
}

/** JSON values only: CEL sees plain objects, arrays, strings, numbers, booleans and null (and a loop's index as an int). */
function jsonScope(scope: ExprScope): Record<string, unknown> {
  const { loop, ...rest } = scope;
  const vars = JSON.parse(JSON.stringify({ ...rest, event: rest.event ?? null })) as Record<string, unknown>;
  if (loop) {
    const [element, index] = loopVariables(loop.name);
    vars[element] = JSON.parse(JSON.stringify(loop.element ?? null));
    vars[index] = BigInt(loop.index);
  }
  return vars;
}

export function evaluate(expression: string, scope: ExprScope): unknown {
  try {
    return toPlain(environmentOf(scope.loop).evaluate(expression, jsonScope(scope)));
  } catch (e) {
    throw new ExpressionError(`${expression}: ${firstLine(e)}`);
  }
}

export function evaluateBool(expression: string, scope: ExprScope): boolean {
  const v = evaluate(expression, scope);
  if (typeof v !== 'boolean')
    throw new ExpressionError(`${expression}: expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function evaluateList(expression: string, scope: ExprScope): unknown[] {
  const v = evaluate(expression, scope);
  if (!Array.isArray(v)) throw new ExpressionError(`${expression}: expected a list, got ${JSON.stringify(v)}`);
  return v;
}

const PLACEHOLDER = /\{\{\s*([\s\S]+?)\s*\}\}/g;

/** The expressions inside `{{ … }}` placeholders of a message. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function render(template: string, scope: ExprScope): string {
  return template.replace(PLACEHOLDER, (_, e: string) => {
    const v = evaluate(e, scope);
    if (typeof v === 'string') return v;
    // A list of texts reads as a sentence list, not as JSON.
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('; ');
    return JSON.stringify(v);
  });
}

const namedEnvs = new Map<string, Environment>();
/**
 * An expression over named JSON values instead of a run's scope — the same CEL, for what is not a step: a
 * simulation's success criteria over the end state (`order.status.order == "canceled"`).
 */
export function evaluateOver(expression: string, variables: Record<string, unknown>): unknown {
  const names = Object.keys(variables).sort();
  const key = names.join(',');
  let e = namedEnvs.get(key);
  if (!e) {
    e = new Environment({ homogeneousAggregateLiterals: false });
    for (const n of names) e = e.registerVariable(n, 'dyn');
    namedEnvs.set(key, e);
  }
  try {
    return toPlain(e.evaluate(expression, JSON.parse(JSON.stringify(variables)) as Record<string, unknown>));
  } catch (err) {
    throw new ExpressionError(`${expression}: ${firstLine(err)}`);
  }
}

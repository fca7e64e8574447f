/**
 * Conditions, tool arguments and message placeholders are CEL (github.com/google/cel-spec), evaluated by
 * @marcbachmann/cel-js — never `eval`. Variables: `inputs` (answers), `steps` (each step's result /
 * evidence), `run` (id, customerId, conversationId) and, in a wait, `event` (the timeline event).
 */
import { Environment, type ASTNode } from '@marcbachmann/cel-js';

const env = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('inputs', 'map')
  .registerVariable('steps', 'map')
  .registerVariable('run', 'map')
  .registerVariable('event', 'map');

export type ExprScope = { inputs: Record<string, unknown>; steps: Record<string, unknown>; run: Record<string, unknown>; event?: unknown };

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

const ROOTS = new Set(['inputs', 'steps', 'run', 'event']);
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
      const k = typeof key === 'string' ? key : (key as { op?: string; args?: unknown }).op === 'value' ? String((key as { args: unknown }).args) : undefined;
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

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
}

/** JSON values only: CEL sees plain objects, arrays, strings, numbers, booleans and null. */
function jsonScope(scope: ExprScope): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...scope, event: scope.event ?? null })) as Record<string, unknown>;
}

export function evaluate(expression: string, scope: ExprScope): unknown {
  try {
    return toPlain(env.evaluate(expression, jsonScope(scope)));
  } catch (e) {
    throw new ExpressionError(`${expression}: ${firstLine(e)}`);
  }
}

export function evaluateBool(expression: string, scope: ExprScope): boolean {
  const v = evaluate(expression, scope);
  if (typeof v !== 'boolean') throw new ExpressionError(`${expression}: expected true or false, got ${JSON.stringify(v)}`);
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

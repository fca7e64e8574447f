/** The step graph of an SOP: where each step can go. Used by the linter (reachability) and coverage. */
import { waitEndLabel, type SopDocument, type StepDef } from './format.js';

export interface Edge {
  from: string;
  /** A step id, or `(end)` when the run completes by falling off the last step. */
  to: string;
  /** `next`, `check failed`, `tool refused`, `timed out`, `on return.declined`, `case 1`, `otherwise`. */
  label: string;
}

export const END = '(end)';

export function defaultNext(doc: SopDocument, index: number): string {
  const s = doc.steps[index]!.def;
  return s.next ?? doc.steps[index + 1]?.def.id ?? END;
}

export function edgesOf(doc: SopDocument, index: number): Edge[] {
  const def: StepDef = doc.steps[index]!.def;
  const from = def.id;
  const next = defaultNext(doc, index);
  const e = (to: string, label: string): Edge => ({ from, to, label });
  switch (def.kind) {
    case 'ask':
    case 'say':
    case 'manual':
      return [e(next, 'next')];
    case 'wait':
      return [
        e(next, 'next'),
        ...def.onEvents.map((o, i) => e(o.goto ?? END, waitEndLabel(def, i))),
        ...(def.onTimeout ? [e(def.onTimeout.goto ?? END, 'timed out')] : []),
      ];
    case 'tool':
      return [e(next, 'next'), ...(def.onRefused ? [e(def.onRefused.goto ?? END, 'tool refused')] : [])];
    case 'check':
      return [e(next, 'next'), e(def.onFail.goto ?? END, 'check failed')];
    case 'branch':
      return [...def.cases.map((c, i) => e(c.goto, `case ${i + 1}`)), e(def.otherwise ?? next, 'otherwise')];
    case 'goto':
      return [e(def.goto, 'goto')];
    case 'handoff':
      return def.next ? [e(def.next, 'handoff')] : [];
    case 'end':
      return [];
  }
}

export function edgeKey(e: Edge): string {
  return `${e.from} -> ${e.to} (${e.label})`;
}

export function allEdges(doc: SopDocument): Edge[] {
  return doc.steps.flatMap((_, i) => edgesOf(doc, i));
}

/** Step ids reachable from the first step. */
export function reachable(doc: SopDocument): Set<string> {
  // The first step with an id owns it: a later duplicate is reported as duplicate_step, and must not
  // redirect every edge to that id (which would make the whole SOP look unreachable).
  const index = new Map<string, number>();
  doc.steps.forEach((s, i) => {
    if (!index.has(s.def.id)) index.set(s.def.id, i);
  });
  const seen = new Set<string>();
  const queue = doc.steps[0] ? [doc.steps[0].def.id] : [];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const i = index.get(id);
    if (i === undefined) continue;
    for (const edge of edgesOf(doc, i)) if (edge.to !== END) queue.push(edge.to);
  }
  return seen;
}

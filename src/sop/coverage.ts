/** Step and branch coverage of an SOP's scenarios: which steps and edges no scenario reaches. */
import type { SopDocument } from './format.js';
import { allEdges, edgeKey } from './graph.js';

export interface Coverage {
  sopId: string;
  steps: { total: number; reached: number; missing: string[] };
  branches: { total: number; taken: number; missing: string[] };
}

export function coverageOf(doc: SopDocument, runs: { reached: string[]; edges: string[] }[]): Coverage {
  const reached = new Set(runs.flatMap((r) => r.reached));
  const taken = new Set(runs.flatMap((r) => r.edges));
  const stepIds = doc.steps.map((s) => s.def.id);
  // Branches are the edges of steps that can go more than one way.
  const edges = allEdges(doc);
  const forks = new Set(stepIds.filter((id) => edges.filter((e) => e.from === id).length > 1));
  const branchEdges = edges.filter((e) => forks.has(e.from)).map(edgeKey);
  return {
    sopId: doc.meta.id,
    steps: {
      total: stepIds.length,
      reached: stepIds.filter((s) => reached.has(s)).length,
      missing: stepIds.filter((s) => !reached.has(s)),
    },
    branches: {
      total: branchEdges.length,
      taken: branchEdges.filter((e) => taken.has(e)).length,
      missing: branchEdges.filter((e) => !taken.has(e)),
    },
  };
}

const pct = (a: number, b: number) => (b === 0 ? 100 : Math.floor((100 * a) / b));

export function formatCoverage(c: Coverage): string {
  const lines = [
    `${c.sopId}: steps ${c.steps.reached}/${c.steps.total} (${pct(c.steps.reached, c.steps.total)}%), branches ${c.branches.taken}/${c.branches.total} (${pct(c.branches.taken, c.branches.total)}%)`,
  ];
  if (c.steps.missing.length) lines.push(`  steps no scenario reaches: ${c.steps.missing.join(', ')}`);
  for (const b of c.branches.missing) lines.push(`  branch not taken: ${b}`);
  return lines.join('\n');
}

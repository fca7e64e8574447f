/**
 * `sopdesk simulate draft SOP`: a skeleton simulation per branch of the SOP (each way a `check`, `branch` or
 * refused tool step can go), for the support lead to fill in: the facts are the SOP's own questions, with the
 * answers left to write. No model is needed.
 */
import { stringify } from 'yaml';
import type { SopDocument } from '../sop/format.js';
import { allEdges, edgeKey } from '../sop/graph.js';

export interface Draft {
  file: string;
  text: string;
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50);

export function draftSimulations(doc: SopDocument): Draft[] {
  const edges = allEdges(doc);
  const forks = new Set(edges.map((e) => e.from).filter((from, _, all) => all.filter((f) => f === from).length > 1));
  const branches = edges.filter((e) => forks.has(e.from));
  const questions = doc.steps.flatMap((s) =>
    s.def.kind === 'ask' ? [{ when: (s.def.prompt ?? s.title).replace(/[?.]$/, ''), say: 'TODO: the answer' }] : [],
  );
  return branches.map((e, i) => {
    const body = {
      name: `reaches ${edgeKey(e)}`,
      persona: 'TODO: who the customer is, in a sentence',
      goal: `TODO: what they want, such that the run goes ${e.from} → ${e.to} (${e.label})`,
      customer: 'TODO: cus_… of the starting store',
      store: '../../_fixtures/store.yaml',
      opening: `TODO: the first message, e.g. "${doc.meta.triggers[0] ?? doc.meta.title}"`,
      facts: questions,
      behaviour: 'Polite and brief; answers what is asked.',
      success: {
        assert: [`run.sopId == "${doc.meta.id}"`, 'TODO: what must be true of the end state'],
        told: [],
        handoff: false,
      },
    };
    return {
      file: `draft-${String(i + 1).padStart(2, '0')}-${slug(`${e.from}-${e.to}`)}.yaml`,
      text: `# Draft from ${doc.meta.id}: fill in each TODO, then \`sopdesk simulate --sop ${doc.meta.id}\`.\n${stringify(body)}`,
    };
  });
}

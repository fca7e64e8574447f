/**
 * `sopdesk simulate draft SOP`: a simulation per branch of the SOP (each way a `check`, `branch` or refused tool step
 * can go), for the support lead to edit.
 * - With a model configured, the model proposes each one — persona, opening, the facts the customer gives, success
 *   criteria over the end state — from the SOP's text, the branch to reach, the starting store and the SOP's own
 *   simulations as examples. Each proposal is checked as a simulation file; one that does not pass is sent back once
 *   with what was wrong, then the branch gets a skeleton.
 * - With none, a skeleton per branch: the facts are the SOP's own questions; what only the lead knows is a field that
 *   starts `FILL IN:`, which the simulation parser refuses to run until it is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateText, type LanguageModel, tool } from 'ai';
import { stringify } from 'yaml';
import { z } from 'zod';
import { FILL_IN, type SopDocument } from '../sop/format.js';
import { allEdges, type Edge, edgeKey } from '../sop/graph.js';
import { parseSimulation, simulationFiles } from './format.js';

export interface Draft {
  file: string;
  text: string;
  /** Who wrote it: the model, or the skeleton (no model, or its proposal did not pass). */
  by: 'model' | 'skeleton';
}

const STORE = '../../_fixtures/store.yaml';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50);

/** The edges out of steps that can go more than one way: what the drafts cover, one each. */
function branchesOf(doc: SopDocument): Edge[] {
  const edges = allEdges(doc);
  const forks = new Set(edges.map((e) => e.from).filter((from, _, all) => all.filter((f) => f === from).length > 1));
  return edges.filter((e) => forks.has(e.from));
}

const fileOf = (e: Edge, i: number) => `draft-${String(i + 1).padStart(2, '0')}-${slug(`${e.from}-${e.to}`)}.yaml`;

function skeleton(doc: SopDocument, e: Edge): Record<string, unknown> {
  const questions = doc.steps.flatMap((s) =>
    s.def.kind === 'ask'
      ? [{ when: (s.def.prompt ?? s.title).replace(/[?.]$/, ''), say: `${FILL_IN} the customer's answer` }]
      : [],
  );
  return {
    name: `reaches ${edgeKey(e)}`,
    persona: `${FILL_IN} who the customer is, in a sentence`,
    goal: `${FILL_IN} what they want, such that the run goes ${e.from} → ${e.to} (${e.label})`,
    customer: `${FILL_IN} the cus_… id of a customer of the starting store`,
    store: STORE,
    opening: `${FILL_IN} the first message, e.g. "${doc.meta.triggers[0] ?? doc.meta.title}"`,
    facts: questions,
    behaviour: 'Polite and brief; answers what is asked.',
    success: {
      assert: [`run.sopId == "${doc.meta.id}"`, `${FILL_IN} what must be true of the end state`],
      told: [],
      handoff: false,
    },
  };
}

/** Skeletons, one per branch, for the lead to fill in (no model). */
export function draftSimulations(doc: SopDocument): Draft[] {
  return branchesOf(doc).map((e, i) => ({
    file: fileOf(e, i),
    text:
      `# Draft from ${doc.meta.id} for ${edgeKey(e)}: write each field that starts "${FILL_IN}" (the simulation\n` +
      `# does not run until they are all written), then \`sopdesk simulate --sop ${doc.meta.id}\`.\n` +
      stringify(skeleton(doc, e)),
    by: 'skeleton',
  }));
}

/** What the model fills in: a simulation file's fields (docs/simulations.md). */
const Proposal = z.object({
  name: z.string().min(1).max(200).describe('What the simulation proves, as a sentence'),
  persona: z.string().min(1).max(500),
  goal: z.string().min(1).max(500),
  customer: z.string().min(1).describe('The cus_… id of a customer of the starting store'),
  opening: z.string().min(1).max(1000).describe("The customer's first message"),
  facts: z
    .array(z.object({ when: z.string().min(1), say: z.string().min(1) }))
    .max(20)
    .describe("What the customer says when the agent's question contains `when`"),
  behaviour: z.string().min(1).max(500),
  fallback: z.string().optional(),
  maxTurns: z.number().int().min(1).max(30).optional(),
  success: z.object({
    assert: z.array(z.string().min(1)).describe('CEL expressions over conversation, run, events'),
    told: z.array(z.string().min(1)).describe('Texts some reply must contain (the disclosures)'),
    notTold: z.array(z.string().min(1)).optional(),
    handoff: z.boolean().optional(),
  }),
});

const FORMAT = `A simulation is a YAML file: a simulated customer talks to the store's AI agent, which follows the SOP; success
is judged on the end state. Assertions are CEL over: conversation (status, handedOff, assignee, replies — the texts
sent to the customer, customerMessages); run (the conversation's SOP run: sopId, status — completed, running, waiting,
handed_off, canceled —, currentStep, refusals — reasons, inputs — the customer's answers); events (the timeline event
types written during the trial, e.g. return.requested, refund.issued, order.canceled). The scripted customer answers
each agent question with the fact whose \`when\` words the question contains (keep \`when\` to a few words of the
SOP's question); \`told\` lists texts the SOP's say steps and disclosures send word for word.`;

export interface ProposeOptions {
  model: LanguageModel;
  /** The starting store's text (YAML of ingest records) shown to the model; default: the SOP fixtures' store. */
  storeText?: string;
  /** Attempts per branch (a proposal that does not parse is sent back with what was wrong). */
  attempts?: number;
}

/** One proposal per branch of the SOP, from the model; a branch whose proposals do not pass gets a skeleton. */
export async function proposeSimulations(doc: SopDocument, o: ProposeOptions): Promise<Draft[]> {
  const dir = dirname(doc.file);
  const examples = simulationFiles(dir, doc.meta.id)
    .filter((f) => f.simulation)
    .slice(0, 2);
  const storeText = o.storeText ?? readStore(join(dir, 'simulations', STORE));
  const exampleText = examples.map((f) => readFileSync(f.file, 'utf8')).join('\n---\n');
  const system = [
    'You write test simulations for an online store’s AI support agent. Call propose_simulation exactly once.',
    FORMAT,
    `The SOP (${doc.meta.id}):\n${doc.source}`,
    storeText ? `The starting store (${STORE}):\n${storeText.slice(0, 12_000)}` : '',
    exampleText ? `Simulations of this SOP already written, as examples of the format:\n${exampleText}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const drafts: Draft[] = [];
  for (const [i, e] of branchesOf(doc).entries()) {
    const file = fileOf(e, i);
    let problems: string[] = [];
    let done: Draft | undefined;
    for (let attempt = 1; attempt <= (o.attempts ?? 2) && !done; attempt++) {
      const prompt =
        `Write a simulation whose customer makes the run go from step ${e.from} to ${e.to} (${e.label}), ` +
        'with success criteria that prove it (the end state, what the customer must be told, whether a person takes over).' +
        (problems.length ? `\nYour last proposal was not a valid simulation:\n${problems.join('\n')}` : '');
      try {
        const r = await generateText({
          model: o.model,
          system,
          prompt,
          tools: { propose_simulation: tool({ description: 'The simulation', inputSchema: Proposal }) },
          toolChoice: 'required',
        });
        const call = r.toolCalls.find((c) => c.toolName === 'propose_simulation' && !c.invalid);
        if (!call) {
          problems = ['no propose_simulation call with fields that fit its schema'];
          continue;
        }
        const body = { ...(call.input as z.infer<typeof Proposal>), store: STORE };
        const text =
          `# Proposed by a model from ${doc.meta.id} for ${edgeKey(e)}: review it, then\n` +
          `# \`sopdesk simulate --sop ${doc.meta.id}\`.\n${stringify(body)}`;
        const parsed = parseSimulation(text, file, doc.meta.id);
        if (parsed.errors) problems = parsed.errors;
        else done = { file, text, by: 'model' };
      } catch (err) {
        problems = [`the model failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300)];
      }
    }
    drafts.push(
      done ?? {
        file,
        text:
          `# The model's proposal for ${edgeKey(e)} did not pass (${problems.join('; ').slice(0, 300)}):\n` +
          `# a skeleton — write each field that starts "${FILL_IN}".\n${stringify(skeleton(doc, e))}`,
        by: 'skeleton',
      },
    );
  }
  return drafts;
}

function readStore(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

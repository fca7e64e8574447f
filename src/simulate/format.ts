/**
 * A simulation: `sops/<id>/simulations/*.yaml`, beside the SOP's scenarios (docs/simulations.md). A customer with a
 * persona, a goal and the facts they give when asked talks to the AI agent; success is judged on the end state.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { CHANNELS } from '../domain/conversation-status.js';
import { FILL_IN } from '../sop/format.js';
import { Advance, Connectors, OutsideTool } from '../sop/scenario.js';

const Phrases = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'a text or a list of texts is needed' })
  .transform((v) => [v].flat());

const Fact = z
  .object({
    /** Words or phrases of the agent's question this fact answers ("email", "order number"). */
    when: Phrases,
    /** What the customer says; a list is said one after another each time the question comes again (the last repeats). */
    say: Phrases,
  })
  .strict();
export type Fact = z.infer<typeof Fact>;

/**
 * What the team does while the conversation goes on, in the file's order: each when the agent's run stands at its step
 * `at` after a turn — a person does a manual step (gives its evidence, then hands the conversation back to the AI), the
 * warehouse acts through a catalogue tool, or time passes (past a wait's timeout).
 */
const TeamAction = z.union(
  [
    z.object({ at: z.string().min(1), evidence: z.record(z.string(), z.unknown()) }).strict(),
    OutsideTool.extend({ at: z.string().min(1) }).strict(),
    Advance.extend({ at: z.string().min(1) }).strict(),
  ],
  { error: 'an action at a step: evidence, a tool and its args, or advance' },
);
export type TeamAction = z.infer<typeof TeamAction>;

/** A read through a read-only catalogue tool after the conversation, named for the assertions. */
const Read = z.object({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) }).strict();

export const Simulation = z
  .object({
    name: z.string().min(1),
    persona: z.string().min(1),
    goal: z.string().min(1),
    /** The store's customer who writes (their conversation is opened on the first message). */
    customer: z.string().min(1),
    channel: z.enum(CHANNELS).default('chat'),
    /**
     * The marketplace's ticket reference, on a marketplace channel: the conversation is filed under it (its external
     * ref), as the marketplace mail rule files a Kogan ticket.
     */
    ticket: z.string().min(1).optional(),
    /** The starting store: `demo`, or the path of a YAML file of ingest records (relative to this file). */
    store: z.string().min(1),
    /** When the conversation happens (the trial's clock). */
    now: z.iso.datetime({ offset: true }).default('2026-11-20T10:00:00Z'),
    /** The customer's first message. */
    opening: z.string().min(1),
    facts: z.array(Fact).default([]),
    /** How the customer behaves, in words: what a model playing the customer is told (changes mind, impatient…). */
    behaviour: z.string().default('Polite and brief; answers what is asked.'),
    /** Said when no fact answers the agent's question; absent, the scripted customer stops writing. */
    fallback: z.string().optional(),
    /** Outside systems the trial's store has configured (`kogan`, `workBoard`), in memory. */
    connectors: Connectors,
    team: z.array(TeamAction).default([]),
    /** Customer messages at most, the opening included. */
    maxTurns: z.number().int().min(1).max(100).default(12),
    success: z
      .object({
        read: z.record(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'a name such as order'), Read).default({}),
        /** CEL expressions that must be true over the reads, `conversation`, `run` and `events`. */
        assert: z.array(z.string().min(1)).default([]),
        /** Texts some reply to the customer must contain (the disclosures). */
        told: z.array(z.string().min(1)).default([]),
        /** Texts no reply may contain. */
        notTold: z.array(z.string().min(1)).default([]),
        /** Whether the conversation must (true) or must not (false) end with a person; absent: either. */
        handoff: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();
export type Simulation = z.infer<typeof Simulation>;

export interface SimulationFile {
  file: string;
  sopId: string;
  simulation?: Simulation;
  /** `file:line: field: message` for each problem. */
  errors?: string[];
}

/** The paths of the texts that still start with FILL_IN. */
function placeholders(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return v.startsWith(FILL_IN) ? [path] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => placeholders(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => placeholders(x, [...path, k]));
  return [];
}

/** Parses one simulation's text; each problem names the file, the line and the field. */
export function parseSimulation(text: string, file: string, sopId: string): SimulationFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  if (doc.errors.length)
    return { file, sopId, errors: doc.errors.map((e) => `${file}:${at(e.pos[0])}: not valid YAML: ${e.message}`) };
  // The deepest node the path reaches gives the line.
  const lineOf = (path: readonly PropertyKey[]) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) return at(node.range[0]);
    }
    return 1;
  };
  const r = Simulation.safeParse(doc.toJS());
  if (!r.success) {
    const errors = r.error.issues.map(
      (i) => `${file}:${lineOf(i.path)}: ${i.path.join('.') || '(file)'}: ${i.message}`,
    );
    return { file, sopId, errors };
  }
  const unwritten = placeholders(r.data);
  if (unwritten.length)
    return {
      file,
      sopId,
      errors: unwritten.map((p) => `${file}:${lineOf(p)}: ${p.join('.')}: a draft field to write ("${FILL_IN} …")`),
    };
  return { file, sopId, simulation: r.data };
}

/** The simulations of an SOP directory (`<dir>/simulations/*.yaml`), in name order. */
export function simulationFiles(sopDir: string, sopId: string): SimulationFile[] {
  const dir = join(sopDir, 'simulations');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseSimulation(readFileSync(join(dir, f), 'utf8'), join(dir, f), sopId));
}

/** The store a simulation starts from: `demo`, or an absolute path to its YAML of records. */
export function storeOf(s: Simulation, file: string): string {
  return s.store === 'demo' ? 'demo' : resolve(join(file, '..'), s.store);
}

/** The simulations of every SOP of a library (or of one), each with the SOP it belongs to. */
export function suiteFiles(docs: readonly { file: string; meta: { id: string } }[], only?: string): SimulationFile[] {
  return docs.filter((d) => !only || d.meta.id === only).flatMap((d) => simulationFiles(join(d.file, '..'), d.meta.id));
}

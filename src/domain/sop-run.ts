/**
 * An SOP run's lifecycle and its stored state. The status moves only through TRANSITIONS; the state is
 * typed JSON, validated with zod whenever it is read back from the database.
 */
import { z } from 'zod';
import { conflict } from '../kernel/errors.js';

export const SOP_RUN_STATUSES = ['running', 'waiting', 'completed', 'failed', 'canceled', 'handed_off'] as const;
export type SopRunStatus = (typeof SOP_RUN_STATUSES)[number];

/** The kinds of step an SOP has (src/sop/format.ts defines each; its StepKind must be this union). */
export const SOP_STEP_KINDS = [
  'ask',
  'tool',
  'check',
  'say',
  'manual',
  'wait',
  'branch',
  'goto',
  'handoff',
  'end',
] as const;
export type SopStepKind = (typeof SOP_STEP_KINDS)[number];

/** running: a step is being worked on; waiting: a wait step waits for an event, or a tool step for an approval. The last four are final. */
export const SOP_RUN_TRANSITIONS: Readonly<Record<SopRunStatus, readonly SopRunStatus[]>> = {
  running: ['waiting', 'completed', 'failed', 'canceled', 'handed_off'],
  waiting: ['running', 'failed', 'canceled'],
  completed: [],
  failed: [],
  canceled: [],
  handed_off: [],
};

export function isFinal(s: SopRunStatus): boolean {
  return SOP_RUN_TRANSITIONS[s].length === 0;
}

export function assertSopRunTransition(from: SopRunStatus, to: SopRunStatus): void {
  if (from === to && !isFinal(from)) return;
  if (!SOP_RUN_TRANSITIONS[from].includes(to)) {
    throw conflict(`This SOP run is ${from}; it cannot become ${to}.`, { reason: 'sop_run_not_active', from, to });
  }
}

const ActorJson = z.object({ kind: z.enum(['human', 'ai_agent', 'system']), id: z.string().optional() });

export const StepRecord = z.object({
  kind: z.enum(SOP_STEP_KINDS),
  /** `next`, `check failed`, `tool refused`, `case 2`, … — the edge the run took after this step. */
  outcome: z.string(),
  answer: z.unknown().optional(),
  evidence: z.record(z.string(), z.unknown()).optional(),
  result: z.unknown().optional(),
  by: ActorJson,
  at: z.string(),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const SopRunState = z.object({
  inputs: z.record(z.string(), z.unknown()),
  /** Each completed step's record, by step id (a step visited twice keeps its latest record). */
  steps: z.record(z.string(), StepRecord),
  /** Step ids in the order they completed. */
  completed: z.array(z.string()),
  /** Edges taken, as `from -> to (label)`, for step and branch coverage. */
  edges: z.array(z.string()),
  messages: z.array(z.object({ stepId: z.string(), text: z.string(), disclosures: z.array(z.string()) })),
  /** Why a check failed, for the person or agent running the SOP. */
  notices: z.array(z.object({ stepId: z.string(), message: z.string() })),
  refusals: z.array(
    z.object({ stepId: z.string(), tool: z.string(), reason: z.string().optional(), message: z.string() }),
  ),
  compensations: z.array(
    z.object({
      stepId: z.string(),
      tool: z.string(),
      ok: z.boolean(),
      result: z.unknown().optional(),
      error: z.string().optional(),
    }),
  ),
  failure: z
    .object({ stepId: z.string(), message: z.string(), code: z.string().optional(), reason: z.string().optional() })
    .optional(),
  /** Where the run handed off, and the handoff it queued in the human queue (none when it could not queue one). */
  handoff: z.object({ stepId: z.string(), summary: z.string(), handoffId: z.string().optional() }).optional(),
  /** The event a waiting run waits for, from which point of the timeline, and since when (for a timeout). */
  wait: z
    .object({
      stepId: z.string(),
      event: z.string(),
      /** The other event types that end the wait (the wait step's `onEvents`). */
      otherEvents: z.array(z.string()).optional(),
      /**
       * Where the wait began on the timeline, a read cursor (src/db/repo/event-cursor.ts): the highest seq seen, the
       * oldest transaction running before that read, and the seqs at or below `sinceSeq` of events it looks at that
       * transactions at or above it wrote. Runs that began waiting before horizons were kept have only `sinceSeq`.
       */
      sinceSeq: z.number().int(),
      sinceHorizon: z.number().int().optional(),
      sinceSeen: z.array(z.number().int()).optional(),
      since: z.string().optional(),
      /** When a wait with a timeout gives up (its `timeout` after `since`). */
      until: z.string().optional(),
      /** A tool step whose action waits for a person's approval: the request (event `approval.decided`). */
      approvalId: z.string().optional(),
    })
    .optional(),
  cancelReason: z.string().optional(),
});
export type SopRunState = z.infer<typeof SopRunState>;

export function emptyRunState(inputs: Record<string, unknown>): SopRunState {
  return { inputs, steps: {}, completed: [], edges: [], messages: [], notices: [], refusals: [], compensations: [] };
}

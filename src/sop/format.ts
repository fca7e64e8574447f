/**
 * The SOP format (docs/sop-format.md): YAML front matter + Markdown prose + one fenced ```step block per
 * step. These schemas validate the structured parts; the prose is kept as the step's instructions.
 */
import { z } from 'zod';
import type { SopStepKind } from '../domain/sop-run.js';
import { SCOPE_ROOTS } from './expressions.js';
import type { SopIssue } from './issues.js';

/** How a draft marks a field only the support lead can write: an SOP or simulation with one left does not run. */
export const FILL_IN = 'FILL IN:';

const stepId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a step id is snake_case: lower-case letters, digits and _');
const expr = z.string().min(1);

export const SopMeta = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'an SOP id is kebab-case'),
  title: z.string().min(1),
  version: z.union([z.number().int().positive(), z.string().min(1)]).transform(String),
  appliesWhen: z.string().min(1).describe('When an agent should pick this SOP'),
  triggers: z.array(z.string().min(1)).default([]).describe('Phrases a customer might use'),
  channel: z.string().min(1).default('any').describe('web, shopify, kogan … or any'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'an ISO 639-1 language code such as en or es')
    .default('en')
    .describe('The language the SOP is written in (its prompts and messages)'),
  /** Inputs the run may be started with (besides the ones its ask steps collect). */
  inputs: z.array(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/)).default([]),
  /** CEL expression giving the customer id once it is known, e.g. `steps.customer.result.id`. */
  customer: expr.optional(),
});
export type SopMeta = z.infer<typeof SopMeta>;

/** Where to go when a check fails, a tool refuses or a wait ends otherwise: say something, then goto / handoff / end. */
const outcomeFields = {
  say: z.string().min(1).optional(),
  goto: stepId.optional(),
  handoff: z.string().min(1).optional().describe('Summary for the human who takes over'),
  end: z.enum(['completed', 'failed']).optional(),
};
const oneWayOut = [
  (o: { goto?: string | undefined; handoff?: string | undefined; end?: string | undefined }) =>
    [o.goto, o.handoff, o.end].filter((x) => x !== undefined).length === 1 ||
    (o.handoff !== undefined && o.goto !== undefined && o.end === undefined),
  { message: 'give exactly one of goto, handoff or end (or handoff with goto: hand over, and the run goes on there)' },
] as const;
export const Outcome = z.object(outcomeFields).refine(...oneWayOut);
export type Outcome = z.infer<typeof Outcome>;

/** A duration: minutes, hours or days. */
export const DURATION = /^([1-9]\d*)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration such as `48h` (validated by DURATION). */
export function durationMs(d: string): number {
  const m = DURATION.exec(d)!;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export const ASK_TYPES = [
  'string',
  'text',
  'email',
  'order',
  'item',
  'items',
  'product',
  'variant',
  'paymentMethod',
  'enum',
  'boolean',
  'number',
  'customer',
] as const;

export const EVIDENCE_TYPES = ['string', 'boolean', 'number', 'email', 'confirmed'] as const;
/** What a run's conversation knows that a manual step's evidence may be filled from (src/sop/prefill.ts). */
export const EVIDENCE_SOURCES = ['conversation.ticket'] as const;
export const EvidenceField = z
  .object({
    type: z.enum(EVIDENCE_TYPES).default('string'),
    pattern: z.string().min(1).optional(),
    /** What a value of the form asked for looks like (`ESG-58231467`); else one is made from the pattern. */
    example: z.string().min(1).optional(),
    label: z.string().min(1).optional(),
    from: z
      .enum(EVIDENCE_SOURCES)
      .optional()
      .describe(
        "Filled from the run's conversation: `conversation.ticket`, its marketplace ticket reference (a Kogan ticket's)",
      ),
  })
  .refine((f) => f.from === undefined || f.type === 'string', {
    path: ['from'],
    message: 'from fills a text field; give it only with type: string',
  });
export type EvidenceField = z.infer<typeof EvidenceField>;

/** `esgNumber: ^ESG-\d+$` (a pattern), `greenBoxSeen: confirmed` (a type) or the full object. */
const EvidenceSpec = z.union([z.string().min(1), EvidenceField]).transform((s): EvidenceField => {
  if (typeof s !== 'string') return s;
  if ((EVIDENCE_TYPES as readonly string[]).includes(s)) return { type: s as EvidenceField['type'] };
  return { type: 'string', pattern: s };
});

const base = { id: stepId, next: stepId.optional().describe('Where to continue; default: the next step in the file') };
const ToolCallSpec = z.object({ tool: z.string().min(1), args: z.record(z.string(), expr).default({}) });
const loopName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'a name such as item or package_id')
  .refine((n) => !SCOPE_ROOTS.includes(n), { message: `the element cannot be named ${SCOPE_ROOTS.join(', ')}` });

const EventType = z.string().regex(/^[a-z_]+\.[a-z_.]+$/, 'a timeline event type such as return.received');

/** Another event that ends a wait: its type, a condition on it, and the outcome that follows it. */
const WaitEnd = z.object({ event: EventType, when: expr.optional(), ...outcomeFields }).refine(...oneWayOut);

/** The label of a wait's path through `onEvents[index]`: `on <event>`, with its position when the event is listed twice. */
export function waitEndLabel(def: { onEvents: readonly { event: string }[] }, index: number): string {
  const { event } = def.onEvents[index]!;
  const twice = def.onEvents.some((e, i) => i !== index && e.event === event);
  return twice ? `on ${event} (${index + 1})` : `on ${event}`;
}

export const StepDef = z.discriminatedUnion('kind', [
  z
    .object({
      ...base,
      kind: z.literal('ask'),
      input: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/),
      type: z.enum(ASK_TYPES),
      options: z.array(z.string().min(1)).optional(),
      prompt: z.string().min(1).optional(),
      product: expr
        .optional()
        .describe(
          'A variant ask: CEL giving the product (prod_…) whose variants are offered, e.g. steps.item.result.productId',
        ),
    })
    .refine((s) => s.type !== 'enum' || (s.options?.length ?? 0) > 0, {
      path: ['options'],
      message: 'an enum needs options',
    })
    .refine((s) => s.product === undefined || s.type === 'variant', {
      path: ['product'],
      message: 'product names the product of a variant ask; give it only with type: variant',
    }),
  z
    .object({
      ...base,
      kind: z.literal('tool'),
      tool: z.string().min(1),
      args: z.record(z.string(), expr).default({}),
      forEach: expr.optional().describe('CEL giving a list: the (read-only) tool is called once per element, in order'),
      as: loopName.optional().describe("The element's name in args (default item); its position is <as>Index"),
      compensate: ToolCallSpec.optional(),
      onRefused: Outcome.optional(),
      confirmedWith: stepId
        .optional()
        .describe(
          "A write step that carries out what an earlier write step's confirm agreed to (its codes, its records): it runs by itself once that step's action was done in the run, as the one who confirmed it",
        ),
    })
    .refine((s) => s.as === undefined || s.forEach !== undefined, {
      path: ['as'],
      message: 'as names the element of forEach; give forEach too',
    }),
  z.object({ ...base, kind: z.literal('check'), when: expr, onFail: Outcome }),
  z.object({
    ...base,
    kind: z.literal('say'),
    message: z.string().min(1),
    disclosures: z.array(z.string().min(1)).default([]),
  }),
  z.object({
    ...base,
    kind: z.literal('manual'),
    system: z.string().min(1).optional(),
    hints: z.array(z.string().min(1)).default([]).describe('Examples and tips shown beside the step'),
    evidence: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), EvidenceSpec),
  }),
  z
    .object({
      ...base,
      kind: z.literal('wait'),
      event: EventType,
      when: expr.optional(),
      timeout: z
        .string()
        .regex(DURATION, 'a duration such as 30m, 48h or 7d')
        .optional()
        .describe('How long to wait for the event'),
      onTimeout: Outcome.optional().describe('Where the run goes when the event has not come within `timeout`'),
      onEvents: z
        .array(WaitEnd)
        .default([])
        .describe('Other events that end the wait, each with its own condition and outcome (e.g. the return declined)'),
    })
    .refine((s) => (s.timeout === undefined) === (s.onTimeout === undefined), {
      path: ['onTimeout'],
      message: 'give timeout and onTimeout together',
    }),
  z.object({
    ...base,
    kind: z.literal('branch'),
    cases: z.array(z.object({ when: expr, goto: stepId })).min(1),
    otherwise: stepId.optional(),
  }),
  z.object({ ...base, kind: z.literal('goto'), goto: stepId }),
  z.object({
    ...base,
    kind: z.literal('handoff'),
    summary: z.string().min(1),
    next: stepId
      .optional()
      .describe('Hand over and go on here: the run stays open, for the person who takes the handoff; default: it ends'),
  }),
  z.object({
    ...base,
    kind: z.literal('end'),
    status: z.enum(['completed', 'failed']).default('completed'),
    say: z.string().min(1).optional(),
  }),
]);
export type StepDef = z.infer<typeof StepDef>;
export type StepKind = StepDef['kind'];
/** The stored kinds (src/domain/sop-run.ts) and the defined ones are the same union. */
true satisfies [StepKind] extends [SopStepKind] ? ([SopStepKind] extends [StepKind] ? true : false) : false;
export type StepOf<K extends StepKind> = Extract<StepDef, { kind: K }>;

/** A loop calls its tool for at most this many elements. */
export const MAX_FOR_EACH = 50;

/** The name a `forEach` step binds its element to in its arguments: `as`, default `item`. */
export function elementNameOf(def: StepOf<'tool'>): string {
  return def.as ?? 'item';
}

/** A step as parsed: its definition, the heading and prose above it, and where it is in the file. */
export interface SopStep {
  def: StepDef;
  title: string;
  instructions: string;
  /** 1-based line of the ```step fence. */
  line: number;
  /** 1-based line in the file of a key inside the step block (`args.orderId`, `when`, …). */
  lineOf(path: readonly (string | number)[]): number;
}

export interface SopDocument {
  file: string;
  meta: SopMeta;
  /** The prose before the first step. */
  intro: string;
  steps: SopStep[];
  source: string;
  /** sha256 of the source: a run records it, and resumes on exactly that text. */
  hash: string;
  /**
   * Fields the format does not know (a misspelt `sya:` in an outcome, `disclosure:`, `onRefuse:`): they are
   * ignored when the SOP runs — so runs stored on such a text still resume — and the linter reports them.
   */
  unknownFields?: SopIssue[];
}

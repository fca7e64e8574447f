/**
 * The trace of one AI turn: a list of typed entries kept with the turn (`ai_turns.trace`) and shown on the
 * conversation ("Why did the AI do this?"). What the model is shown is stored with secrets redacted.
 */
import { z } from 'zod';

export const TraceEntry = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step'),
    stepId: z.string().nullable().describe('The SOP step the run is on; null before a run or after it ended'),
    kind: z.string().nullable().describe('ask, tool, manual, wait… or null'),
    note: z.string().describe('What the agent does about it'),
  }),
  z.object({
    type: z.literal('model_call'),
    purpose: z.string().describe('choose_sop, extract_answer, put_preview or read_confirmation'),
    attempt: z.number().int().describe('1 for the first try, 2 for the first retry…'),
    shown: z.string().describe('The instructions and messages the model was shown, secrets redacted'),
    tools: z.array(z.string()).describe('The only tools the model was offered'),
    latencyMs: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    outcome: z.string().describe('The tool it called (with its input), or what went wrong'),
    ok: z.boolean(),
  }),
  z.object({
    type: z.literal('tool_call'),
    tool: z.string().describe('A catalogue tool run by the SOP step (or the handoff)'),
    stepId: z.string().nullable(),
    preview: z.unknown().optional().describe('The dry run put to the customer'),
    result: z.unknown().optional(),
    refusal: z.string().optional().describe('Why it was refused, if it was'),
    approvalId: z
      .string()
      .optional()
      .describe('The approval request it waits on: above the AI limits, a person decides'),
    confirmedBy: z.string().optional().describe('The customer message (msg_…) that agreed to it'),
  }),
  z.object({ type: z.literal('reply'), messageId: z.string(), text: z.string().describe('Sent to the customer') }),
  z.object({ type: z.literal('handoff'), summary: z.string(), handoffId: z.string().nullable() }),
  z.object({ type: z.literal('stopped'), why: z.string().describe('A person took over or paused the AI') }),
]);
export type TraceEntry = z.infer<typeof TraceEntry>;

const SECRETS: [RegExp, string][] = [
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '[redacted key]'],
  [/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, 'Bearer [redacted]'],
  [/\bsdk_[A-Za-z0-9_-]{16,}/g, '[redacted token]'],
  // Card and account numbers: 12 to 19 digits, spaces or dashes allowed between them.
  [/\b\d(?:[ -]?\d){11,18}\b/g, '[redacted number]'],
  [/\b(password|passcode|pin)\s*[:=]?\s*\S+/gi, '$1 [redacted]'],
];

/** Secrets a customer or a prompt may hold (keys, tokens, card numbers, passwords), blanked out for the trace. */
export function redact(text: string): string {
  let out = text;
  for (const [re, by] of SECRETS) out = out.replace(re, by);
  return out;
}

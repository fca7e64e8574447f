/** Inputs of the SOP run API, shared by REST (guided mode) and the sop_* tools (agent mode). */
import { z } from 'zod';
import { boundedText, customerIdArg } from '../app/args.js';
import { SOP_RUN_STATUSES } from '../domain/sop-run.js';

const runId = z
  .string()
  .regex(/^run_[0-9a-z]+$/, 'an SOP run id like run_…')
  .describe('The SOP run id (run_…), from start_sop');

export const StartSopRunBody = z.object({
  sopId: boundedText('code').min(1).describe('Which SOP to run, e.g. "handling-returns" (see list_sops)'),
  customerId: customerIdArg.optional().describe('The customer (cus_…), if already known'),
  conversationId: boundedText('code').min(1).optional().describe('The conversation this run belongs to, if any'),
  inputs: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Answers already known, by input name (e.g. {"email": "…"}); their ask steps complete by themselves'),
});

export const SubmitStepBody = z.object({
  answer: z.unknown().optional().describe('For an ask step: the answer, of the type the step asks for'),
  evidence: z.record(z.string(), z.unknown()).optional().describe('For a manual step: every evidence field it names'),
  confirm: z
    .boolean()
    .optional()
    .describe('For a tool step that changes something: true once the customer agreed to the preview'),
});

export const CancelSopRunBody = z.object({
  reason: boundedText('line').min(1).describe('Why the run is stopped'),
  undo: z
    .boolean()
    .default(false)
    .describe(
      'true: also undo what the run did — every completed tool step that declares `compensate`, newest first (e.g. reverse a refund it issued); false (default): stop and keep what was done',
    ),
});

export const SopRunRef = z.object({ runId });

export const SopSubmitToolInput = z.object({
  runId,
  stepId: boundedText('code').min(1).describe('The current step id, from sop_next_step'),
  answer: SubmitStepBody.shape.answer,
  evidence: SubmitStepBody.shape.evidence,
  tool: boundedText('code')
    .min(1)
    .optional()
    .describe('For a tool step: the tool you call — only the one sop_next_step allows'),
  arguments: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('For a tool step: the arguments sop_next_step shows'),
  confirm: SubmitStepBody.shape.confirm,
});

export const ListSopRunsQuery = z.object({
  customerId: z
    .string()
    .regex(/^cus_[0-9a-z]+$/)
    .optional()
    .describe("Only this customer's runs"),
  status: z.enum(SOP_RUN_STATUSES).optional().describe('Only runs in this status, e.g. handed_off'),
  limit: z.coerce.number().int().min(1).max(200).optional().describe('At most this many (default 50)'),
});

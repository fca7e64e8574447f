/** The answers of the SOP routes and the sop_* tools: SOPs, a run as people and agents see it, its history. */
import { z } from 'zod';
import type { Describes } from '../app/describes.js';
import type { SopRunHistoryEntry } from '../app/sop/get-sop-run-history.js';
import type { SopRunSummary } from '../app/sop/list-sop-runs.js';
import { SOP_RUN_STATUSES, SOP_STEP_KINDS } from '../domain/sop-run.js';
import { ACTOR_KINDS } from '../domain/timeline.js';
import type { SopDetails, SopSummary } from './engine.js';
import { EVIDENCE_SOURCES, EVIDENCE_TYPES } from './format.js';
import type { CurrentStepView, SopRunView } from './view.js';

export const SopSummaryOut = z
  .object({
    id: z.string().describe('SOP id, e.g. handling-returns: pass it to start_sop'),
    title: z.string().describe('Title'),
    version: z.string().describe('Version'),
    appliesWhen: z.string().describe('When it applies'),
    triggers: z.array(z.string()).describe('What the customer says or asks that starts it'),
    channel: z.string().describe('Channel it is written for'),
    stepCount: z.number().int().describe('How many steps'),
  })
  .describe('An SOP');
true satisfies Describes<typeof SopSummaryOut, SopSummary>;

export const SopDetailsOut = SopSummaryOut.extend({
  intro: z.string().describe('The prose before the steps'),
  hash: z.string().describe('Hash of the text (a run keeps the text it started on)'),
  source: z.string().describe('The SOP document (Markdown)'),
  steps: z
    .array(
      z.object({
        id: z.string().describe('Step id'),
        kind: z.enum(SOP_STEP_KINDS).describe('Step kind'),
        title: z.string().describe('Title'),
        instructions: z.string().describe('What to do'),
      }),
    )
    .describe('The steps, in order'),
}).describe('An SOP with its steps');
true satisfies Describes<typeof SopDetailsOut, SopDetails & { source: string }>;

const StepRef = { stepId: z.string().describe('Step id') };

const CurrentStepOut = z
  .object({
    ...StepRef,
    kind: z.enum(SOP_STEP_KINDS).describe('Step kind'),
    title: z.string().describe('Title'),
    instructions: z.string().describe("The SOP's prose for this step: what to do"),
    needs: z.enum(['answer', 'evidence', 'confirm', 'event', 'nothing']).describe('What it waits for'),
    prompt: z.string().optional().describe('An ask step: what to ask'),
    form: z
      .object({
        input: z.string().describe('The input it fills'),
        type: z.string().describe('Answer type'),
        options: z.array(z.string()).optional().describe('The allowed answers of an enum'),
        productId: z
          .string()
          .optional()
          .describe('A variant ask: the product (prod_…) whose variants it takes, when the SOP names one'),
      })
      .optional()
      .describe('An ask step: the answer it takes'),
    system: z.string().optional().describe('A manual step: the system it is done in'),
    hints: z.array(z.string()).optional().describe('Hints'),
    evidence: z
      .array(
        z.object({
          name: z.string().describe('Field'),
          type: z.enum(EVIDENCE_TYPES).describe('Type'),
          pattern: z.string().optional().describe('Regular expression it must match'),
          example: z
            .string()
            .optional()
            .describe(
              "A value of the form asked for (the SOP's own, else one made from the pattern), e.g. ESG-58231467",
            ),
          label: z.string().optional().describe('Label'),
          from: z
            .enum(EVIDENCE_SOURCES)
            .optional()
            .describe(
              "Filled from the run's conversation when it knows it (conversation.ticket: its marketplace ticket reference)",
            ),
        }),
      )
      .optional()
      .describe('A manual step: the evidence to submit'),
    tool: z
      .object({
        name: z.string().describe('Tool name'),
        title: z.string().describe('Tool title'),
        readOnly: z.boolean().describe('Reads only'),
        destructive: z.boolean().describe('Moves money or revokes: confirm with the customer'),
        arguments: z.record(z.string(), z.unknown()).optional().describe('The arguments to submit'),
        argumentSets: z
          .array(z.record(z.string(), z.unknown()))
          .optional()
          .describe('A forEach step: the arguments of each call'),
        preview: z.unknown().optional().describe("The tool's dry run: what would happen (the tool's output)"),
        previewError: z
          .object({
            code: z.string().describe('Error code'),
            message: z.string().describe('Message'),
            reason: z.string().optional().describe('Refusal reason'),
          })
          .optional()
          .describe('Why the arguments or the preview could not be computed'),
        followsRefusal: z
          .boolean()
          .optional()
          .describe(
            'The step says where a refusal of its tool goes: a confirm submitted while the preview is refused takes that path',
          ),
      })
      .optional()
      .describe('A tool step: the tool it calls'),
    wait: z
      .object({
        event: z.string().describe('Event type awaited'),
        when: z.string().optional().describe('Condition on it'),
        until: z.string().optional().describe('When the wait gives up, ISO-8601'),
        otherEvents: z
          .array(
            z.object({
              event: z.string().describe('Another event type that ends the wait'),
              when: z.string().optional().describe('Condition on it'),
              leadsTo: z
                .enum(['handoff', 'goto', 'end'])
                .describe('What follows it: a handoff to a person (then goto, if given), a goto, or the run ends'),
              goto: z.string().optional().describe('The step the run goes on at'),
            }),
          )
          .optional()
          .describe("The wait step's other events (onEvents): each ends the wait on a path of its own"),
        approvalId: z
          .string()
          .optional()
          .describe("A tool step's action waiting for a person's approval: the approval request (apr_…)"),
      })
      .optional()
      .describe('A wait step: the event it waits for; a tool step: the approval its action waits for'),
    allowedTools: z
      .array(z.string())
      .describe('Agent mode: the only tools the agent may call now (through sop_submit_step)'),
  })
  .describe('The step that needs someone now');
true satisfies Describes<typeof CurrentStepOut, CurrentStepView>;

export const SopRunViewOut = z
  .object({
    id: z.string().describe('Run id (run_…)'),
    sopId: z.string().describe('SOP id'),
    sopVersion: z.string().describe('SOP version'),
    title: z.string().describe('SOP title'),
    status: z.enum(SOP_RUN_STATUSES).describe('running, waiting, completed, failed, canceled or handed_off'),
    customerId: z.string().nullable().describe('Customer (cus_…)'),
    conversationId: z.string().nullable().describe('Conversation (cnv_…)'),
    current: CurrentStepOut.nullable().describe('The step that needs someone; null once the run ended'),
    inputs: z.record(z.string(), z.unknown()).describe('Answers so far, by input name'),
    completedSteps: z.array(z.string()).describe('Step ids completed, in order'),
    stepTitles: z.record(z.string(), z.string()).describe("Each step's heading in the procedure, by step id"),
    evidence: z
      .array(
        z.object({
          ...StepRef,
          title: z.string().describe("The manual step's heading"),
          system: z.string().optional().describe('The system the work was done in'),
          fields: z
            .array(
              z.object({
                name: z.string().describe('Field'),
                label: z.string().describe('Its label in the procedure'),
                value: z.union([z.string(), z.number(), z.boolean()]).describe('What was recorded'),
                from: z
                  .string()
                  .optional()
                  .describe(
                    "Where the value came from when no one typed it: conversation.ticket, the conversation's ticket",
                  ),
              }),
            )
            .describe('What was recorded, in the order the procedure asks for it'),
          by: z
            .object({
              kind: z.enum(ACTOR_KINDS).describe('human, ai_agent or system'),
              id: z.string().nullable().describe('Who'),
            })
            .describe('Who recorded it'),
          at: z.string().describe('When, ISO-8601'),
        }),
      )
      .describe('The evidence of the work done by hand (manual steps), in the order it was recorded'),
    messages: z
      .array(
        z.object({
          ...StepRef,
          text: z.string().describe('What to tell the customer'),
          disclosures: z.array(z.string()).describe('What must be disclosed'),
        }),
      )
      .describe('Messages to relay to the customer'),
    notices: z
      .array(z.object({ ...StepRef, message: z.string().describe('Why a check failed') }))
      .describe(
        'Notices for the person or agent running the SOP; a notice of a step that has since passed (a check asked again) is left out',
      ),
    refusals: z
      .array(
        z.object({
          ...StepRef,
          tool: z.string().describe('Tool'),
          reason: z.string().optional().describe('Refusal reason'),
          message: z.string().describe('Message'),
        }),
      )
      .describe('Tool calls that were refused'),
    compensations: z
      .array(
        z.object({
          ...StepRef,
          tool: z.string().describe('Tool'),
          ok: z.boolean().describe('It succeeded'),
          result: z.unknown().optional().describe('Its answer'),
          error: z.string().optional().describe('Why it failed'),
        }),
      )
      .describe('Compensations run when the run failed or was undone'),
    failure: z
      .object({
        ...StepRef,
        message: z.string().describe('Message'),
        code: z.string().optional().describe('Error code'),
        reason: z.string().optional().describe('Refusal reason'),
      })
      .nullable()
      .describe('Why the run failed'),
    handoff: z
      .object({
        ...StepRef,
        summary: z.string().describe('Summary for the human'),
        handoffId: z.string().optional().describe('The handoff queued'),
      })
      .nullable()
      .describe('Where the run handed off to a human'),
    cancelReason: z.string().nullable().describe('Why it was canceled'),
    updatedAt: z.string().describe('Last change, ISO-8601'),
  })
  .describe(
    'An SOP run: status, the current step (instructions, what it needs, allowed tools), messages to relay, and what happened',
  );
true satisfies Describes<typeof SopRunViewOut, SopRunView>;

/** The sop_* tools add what to do next, for an agent. */
export const AgentRunViewOut = SopRunViewOut.extend({ nextAction: z.string().describe('One line: what to do now') });

export const SopRunSummaryOut = z
  .object({
    id: z.string().describe('Run id'),
    sopId: z.string().describe('SOP id'),
    sopVersion: z.string().describe('SOP version'),
    status: z.string().describe('Status'),
    currentStepId: z.string().nullable().describe('Current step'),
    customerId: z.string().nullable().describe('Customer'),
    conversationId: z.string().nullable().describe('Conversation'),
    createdAt: z.string().describe('Started, ISO-8601'),
    updatedAt: z.string().describe('Last change, ISO-8601'),
  })
  .describe('A run, in a list');
true satisfies Describes<typeof SopRunSummaryOut, SopRunSummary>;

export const SopRunHistoryEntryOut = z
  .object({
    ...StepRef,
    kind: z.enum(SOP_STEP_KINDS).describe('Step kind'),
    outcome: z.string().describe('How it completed'),
    data: z.record(z.string(), z.unknown()).describe('What was given or returned'),
    by: z
      .object({
        kind: z.enum(ACTOR_KINDS).describe('human, ai_agent or system'),
        id: z.string().nullable().describe('Who'),
      })
      .describe('Who completed it'),
    completedAt: z.string().describe('When, ISO-8601'),
  })
  .describe('A completed step');
true satisfies Describes<typeof SopRunHistoryEntryOut, SopRunHistoryEntry>;

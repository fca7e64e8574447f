/**
 * Agent mode: an AI agent (or any MCP client) runs an SOP through these tools. At each step it is offered
 * only the tools that step allows and the step's instructions; its calls go through sop_submit_step, so
 * the procedure — not the prompt — decides what happens next.
 */
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { SopEngine } from '../sop/engine.js';
import { SopRunRef, SopSubmitToolInput, StartSopRunBody } from '../sop/schemas.js';
import type { SopRunView } from '../sop/view.js';
import { AgentRunViewOut, SopSummaryOut } from '../sop/view.schemas.js';
import { defineTool, READ, WRITE, type ToolDefinition } from './define.js';

const RunOutput = AgentRunViewOut;

/**
 * Refusals of the agent's own call in a run — another tool than the step's (`tool_not_allowed`), other arguments
 * (`arguments_differ`): nothing to explain to the customer; the agent corrects the call.
 */
export const SOP_CALL_REFUSALS: readonly string[] = ['tool_not_allowed', 'arguments_differ'];
export const SOP_CALL_FIX = 'Call sop_next_step, then submit the tool it allows with exactly the arguments it shows.';

/** Text as a sentence: a full stop added unless it ends with one already (a prompt ends with `?`). */
const sentence = (text: string) => (/[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** One line telling the agent what to do now. */
export function nextAction(v: SopRunView): string {
  const s = v.current;
  if (!s)
    return `The run is ${v.status}.${v.failure ? ` It failed at ${v.failure.stepId}: ${sentence(v.failure.message)}` : ''}${v.handoff ? ` A human takes over: ${sentence(v.handoff.summary)}` : ''}`;
  switch (s.needs) {
    case 'answer':
      return `Ask: ${sentence(s.prompt ?? s.title)} Then call sop_submit_step with runId, stepId "${s.stepId}" and answer (${s.form?.type}${s.form?.options ? `: one of ${s.form.options.join(', ')}` : ''}).`;
    case 'evidence':
      return `A person must do this in ${s.system ?? 'another system'} and submit evidence ${s.evidence?.map((e) => e.name).join(', ')} with sop_submit_step.`;
    case 'confirm':
      return `Show the customer the preview of ${s.tool?.name}; once they agree, call sop_submit_step with tool "${s.tool?.name}", the arguments shown, and confirm: true.`;
    case 'event':
      if (s.wait?.approvalId)
        return `The action ${s.tool?.name} waits for a person's approval (${s.wait.approvalId}): tell the customer a colleague reviews it. Call sop_next_step later.`;
      return `Waiting for ${s.wait?.event}. Call sop_next_step later.`;
    default:
      return 'Call sop_next_step.';
  }
}

const agentView = (v: SopRunView) => ({ ...v, nextAction: nextAction(v) });

/**
 * The context's SOP engine. Imported when a tool runs, not when this file loads: the engine reads the tool catalogue,
 * which lists these tools, so a static import would make the catalogue's list depend on which file a program loads
 * first (the CLI bundle loaded this file first and found `sopTools` not yet defined).
 */
async function engineFor(ctx: AppContext): Promise<SopEngine> {
  const { sopEngineFor } = await import('../sop/engine.js');
  return sopEngineFor(ctx);
}

export const sopTools: ToolDefinition[] = [
  defineTool({
    name: 'list_sops',
    title: 'List SOPs',
    hints: READ,
    description:
      'Lists the standard operating procedures this desk follows, with when each applies. Start the one that fits with start_sop.',
    input: z.object({}),
    output: z.object({
      sops: z.array(SopSummaryOut).describe('Every SOP: id, title, when it applies (its triggers), how many steps'),
    }),
    async run(_, call) {
      return { sops: (await engineFor(call.ctx)).listSops() };
    },
  }),
  defineTool({
    name: 'start_sop',
    title: 'Start an SOP run',
    hints: WRITE,
    // Not previewable: starting only creates the run and stops at the first step that needs someone; every
    // step that changes an order is itself previewed and waits for confirm: true (sop_submit_step).
    previewable: false,
    description:
      'Starts a run of an SOP for a customer. Returns the first step that needs you: follow its instructions and nextAction.',
    input: StartSopRunBody,
    output: RunOutput,
    async run(input, call) {
      return agentView(
        await (await engineFor(call.ctx)).start(input, {
          actor: call.actor,
          idempotencyKey: call.idempotencyKey,
          caller: call.caller,
        }),
      );
    },
  }),
  defineTool({
    name: 'sop_next_step',
    title: 'Current step of an SOP run',
    hints: WRITE,
    // Not previewable: it only shows the step; its one write is resuming a run whose awaited event happened.
    previewable: false,
    description:
      'Shows the current step of a run: its instructions, what it needs (an answer, evidence, a confirm after a preview, or an event), and the only tools it allows.',
    input: SopRunRef,
    output: RunOutput,
    async run(input, call) {
      return agentView(await (await engineFor(call.ctx)).view(input.runId, call.actor, call.caller));
    },
  }),
  defineTool({
    name: 'sop_submit_step',
    title: 'Complete the current step of an SOP run',
    hints: { readOnly: false, destructive: true, idempotent: false },
    // Not previewable by dryRun: a tool step previews itself — submitted without confirm: true it answers
    // the tool's preview and changes nothing; answers and evidence are recorded as given.
    previewable: false,
    description:
      'Completes the current step: an answer for an ask step, evidence for a manual step, or — for a tool step — the tool the step allows with the arguments shown and confirm: true once the customer agreed. Returns the next step.',
    input: SopSubmitToolInput,
    output: RunOutput,
    async run(input, call) {
      const { runId, stepId, ...submission } = input;
      return agentView(
        await (await engineFor(call.ctx)).submit(runId, stepId, submission, { actor: call.actor, caller: call.caller }),
      );
    },
  }),
];

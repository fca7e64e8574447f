/**
 * Conversations that AI agent tests on both databases lead up to, driven through an `agentHarness`: a damaged-parcel
 * SOP that hands over to a person and waits for them at its next step, and a refund of the delivered lamp that waits
 * for the return to be received.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import { assignConversation } from '../../src/app/inbox/assign-conversation.js';
import { resolveHandoff } from '../../src/app/inbox/resolve-handoff.js';
import { takeHandoff } from '../../src/app/inbox/take-handoff.js';
import { rows } from '../../src/db/database.js';
import type { SopRunView } from '../../src/sop/view.js';
import type { AgentHarness } from './ai-agent.js';

/** Asks for a photo, hands over at `inspect` with `next: checked` (a person's evidence), then asks for a remedy. */
export const DAMAGED_PARCEL_SOP = readFileSync(new URL('../fixtures/damaged-parcel.sop.md', import.meta.url), 'utf8');

/** The person who takes the handoff. */
export const alice = { actor: { kind: 'human' as const, id: 'alice' } };

/**
 * On a harness whose library holds the damaged-parcel SOP (or a variant of it): the customer writes, the AI starts the
 * SOP and hands over at `inspect`. The run's id and the open handoff's.
 */
export async function handOverDamagedParcel(h: AgentHarness): Promise<{ runId: string; handoffId: string }> {
  h.fake.queue({ tool: 'start_procedure', args: { sopId: 'damaged-parcel' } });
  expect(await h.exchange('my parcel arrived crushed')).toBe('Do you have a photo of the damage?');
  h.fake.queue({ tool: 'record_answer', args: { value: true } });
  expect(await h.exchange('yes, here it is')).toContain('passed your conversation to a colleague');
  const runId = (await listAiTurns(h.ctx, h.conversationId())).turns[0]!.runId!;
  const handoffId = (await h.deps.engine.view(runId)).handoff!.handoffId!;
  return { runId, handoffId };
}

/** Alice takes the handoff and does the run's `checked` step, finding the parcel damaged or not: the run after it. */
export async function aliceChecksTheParcel(
  h: AgentHarness,
  { runId, handoffId }: { runId: string; handoffId: string },
  damaged: boolean,
): Promise<SopRunView> {
  await takeHandoff(h.ctx, handoffId, alice);
  return h.deps.engine.submit(runId, 'checked', { evidence: { damaged } }, alice);
}

/** Alice resolves the handoff and assigns the conversation back to the AI. */
export async function handBackToTheAi(h: AgentHarness, handoffId: string): Promise<void> {
  await resolveHandoff(h.ctx, handoffId, alice);
  await assignConversation(h.ctx, h.conversationId(), { assignee: 'ai_agent' }, alice);
}

/**
 * Mo asks for a refund of the delivered lamp of order #1001, agrees to return it, and the Cancel or Refund SOP's run
 * waits at `received`: its run id.
 */
export async function untilTheReturnIsReceived(h: AgentHarness): Promise<string> {
  h.fake.queue({
    tool: 'start_procedure',
    args: { sopId: 'cancel-or-refund-order', answers: { email: 'mo@example.com', order: '#1001' } },
  });
  expect(await h.exchange('I want my money back for order #1001, I am mo@example.com')).toBe(
    'Which items should be refunded, and how many of each?',
  );
  h.fake.queue(
    {
      tool: 'record_answer',
      args: {
        value: [{ itemId: 'li_deliv0001', quantity: 1 }],
        also: { refundReason: 'it broke', returnReason: 'DAMAGED' },
      },
    },
    { tool: 'put_to_customer', args: { text: 'I can start a return of one desk lamp.' } },
  );
  expect(await h.exchange('one lamp, it broke')).toContain('I can start a return of one desk lamp.');
  h.fake.queue({ tool: 'initiate_return', args: {} });
  expect(await h.exchange('yes')).toMatch(/your return tracking id is RT-/);
  const runId = (await listAiTurns(h.ctx, h.conversationId())).turns[0]!.runId!;
  expect((await h.deps.engine.view(runId)).current).toMatchObject({ stepId: 'received', needs: 'event' });
  return runId;
}

/** The id of the return `untilTheReturnIsReceived` started. */
export async function theReturnId(h: AgentHarness): Promise<string> {
  const [ret] = await rows<{ id: string }>(
    h.ctx.database.db,
    sql`select id from returns where order_id = 'ord_deliv0001'`,
  );
  return ret!.id;
}

/**
 * An SOP that hands over with `next` (docs/sop-format.md, Handoffs): the run does not end; it waits at its next step
 * for the person who takes the handoff, who does that step in guided mode and hands the conversation back; the AI goes
 * on with the same run. End to end through the fake OpenAI server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import { sendReply } from '../../src/app/inbox/send-reply.js';
import { findConversationsToAnswer } from '../../src/db/repo/ai.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';
import {
  aliceChecksTheParcel,
  alice,
  DAMAGED_PARCEL_SOP,
  handBackToTheAi,
  handOverDamagedParcel,
} from '../support/ai-agent-flows.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

/**
 * The damaged-parcel SOP with a check after the person's step: when they found no damage, the run tells the customer
 * so and goes as `onFail` says.
 */
const withDamageCheck = (onFail: string) =>
  DAMAGED_PARCEL_SOP.replace('  damaged: confirmed', '  damaged: boolean').replace(
    '## What the customer wants',
    `\`\`\`step
id: is_damaged
kind: check
when: steps.checked.evidence.damaged
onFail:
  say: We could not see damage on the photo, so we cannot replace the parcel.
  ${onFail}
\`\`\`

## What the customer wants`,
  );

/** The AI hands over; Alice finds no damage, and the run ends `status` as `onFail` says: the handoff's id. */
async function aliceFindsNoDamage(onFail: string, status: string): Promise<string> {
  h = await agentHarness({ sops: [withDamageCheck(onFail)] });
  const handedOver = await handOverDamagedParcel(h);
  expect((await aliceChecksTheParcel(h, handedOver, false)).status).toBe(status);
  return handedOver.handoffId;
}

describe('an SOP handoff with next', () => {
  it(
    'hands over and keeps the run open at its next step; the person does it and hands back; the AI goes on at once',
    async () => {
      h = await agentHarness({ sops: [DAMAGED_PARCEL_SOP] });
      const handedOver = await handOverDamagedParcel(h);
      const { runId, handoffId } = handedOver;
      expect((await listAiTurns(h.ctx, h.conversationId())).turns[0]!.outcome).toBe('handed_off');
      const run = await h.deps.engine.view(runId);
      expect(run).toMatchObject({ status: 'running', current: { stepId: 'checked', needs: 'evidence' } });
      expect(run.handoff).toMatchObject({ stepId: 'inspect', handoffId });

      // While the person has it, the customer's messages get no AI turn.
      const calls = h.fake.requests.length;
      expect(await h.exchange('hello?')).toBe('');
      expect(h.fake.requests.length).toBe(calls);

      const after = await aliceChecksTheParcel(h, handedOver, true);
      expect(after.current).toMatchObject({ stepId: 'remedy', needs: 'answer' });
      await handBackToTheAi(h, handoffId);

      // Handed back: the AI goes on at once, asking its next question, once — without waiting for the customer.
      const calls2 = h.fake.requests.length;
      const [found] = await findConversationsToAnswer(h.ctx.database.db, h.ctx.clock.now(), [], 10);
      expect(found).toBe(h.conversationId());
      expect((await h.turn())?.outcome).toBe('replied');
      expect((await h.outbound()).at(-1)).toBe('Would you like a replacement or a refund?');
      expect(h.fake.requests.length).toBe(calls2);
      expect(await findConversationsToAnswer(h.ctx.database.db, h.ctx.clock.now(), [], 10)).toEqual([]);
      expect(await h.turn()).toBeUndefined();

      h.fake.queue({ tool: 'record_answer', args: { value: 'replacement' } });
      expect(await h.exchange('a new one please')).toBe('We will arrange the replacement.');
      expect((await h.deps.engine.view(runId)).status).toBe('completed');
    },
    SLOW,
  );

  it.each([
    ['failed', 'end: failed'],
    ['handed_off', 'handoff: Look at the parcel again.'],
  ])(
    'a run a person ends %s at their step tells the customer its closing words when handed back, once',
    async (status, onFail) => {
      const handoffId = await aliceFindsNoDamage(onFail, status);
      await handBackToTheAi(h, handoffId);

      const before = (await h.outbound()).length;
      await h.turn();
      const told = (await h.outbound()).slice(before);
      expect(told.filter((m) => m.includes('We could not see damage on the photo'))).toHaveLength(1);
      await h.turn();
      expect(await h.exchange('ok')).not.toContain('We could not see damage');
    },
    SLOW,
  );

  it.each([
    ['failed', 'end: failed', 'We could not see damage on the photo, so we cannot replace the parcel.'],
    // Copied from the run's words into a reply of their own, line breaks and all.
    [
      'handed_off',
      'handoff: Look at the parcel again.',
      'Thanks for waiting. We could not see damage on the photo,\nso we cannot replace the parcel. Sorry!',
    ],
  ])(
    'a run a person ends %s, whose closing words they sent themselves, is not told them again when handed back',
    async (status, onFail, reply) => {
      const handoffId = await aliceFindsNoDamage(onFail, status);
      await sendReply(h.ctx, h.conversationId(), { body: reply }, alice);
      await handBackToTheAi(h, handoffId);

      await h.turn();
      const thread = await h.outbound();
      expect(thread.filter((m) => m.includes('We could not see damage'))).toEqual([reply]);
      const traces = (await listAiTurns(h.ctx, h.conversationId())).turns.flatMap((t) => t.trace);
      expect(traces).toContainEqual(
        expect.objectContaining({ note: expect.stringContaining('A person already sent the customer') }),
      );
    },
    SLOW,
  );
});

/**
 * An SOP that hands over with `next` (docs/sop-format.md, Handoffs): the run does not end; it waits at its next step
 * for the person who takes the handoff, who does that step in guided mode and hands the conversation back; the AI goes
 * on with the same run. End to end through the fake OpenAI server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import { assignConversation } from '../../src/app/inbox/assign-conversation.js';
import { resolveHandoff } from '../../src/app/inbox/resolve-handoff.js';
import { sendReply } from '../../src/app/inbox/send-reply.js';
import { takeHandoff } from '../../src/app/inbox/take-handoff.js';
import { findConversationsToAnswer } from '../../src/db/repo/ai.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

const DAMAGED = `---
id: damaged-parcel
title: Damaged parcel
version: 1
appliesWhen: A parcel arrived damaged.
---

## Photo

\`\`\`step
id: photo
kind: ask
input: hasPhoto
type: boolean
prompt: Do you have a photo of the damage?
\`\`\`

## A person looks at it

\`\`\`step
id: inspect
kind: handoff
summary: Look at the customer's photo of the damaged parcel.
next: checked
\`\`\`

\`\`\`step
id: checked
kind: manual
evidence:
  damaged: confirmed
\`\`\`

## What the customer wants

\`\`\`step
id: remedy
kind: ask
input: remedy
type: enum
options: [replacement, refund]
prompt: Would you like a replacement or a refund?
\`\`\`

\`\`\`step
id: done
kind: end
say: "We will arrange the {{ inputs.remedy }}."
\`\`\`
`;

const alice = { actor: { kind: 'human' as const, id: 'alice' } };

describe('an SOP handoff with next', () => {
  it(
    'hands over and keeps the run open at its next step; the person does it and hands back; the AI goes on at once',
    async () => {
      h = await agentHarness({ sops: [DAMAGED] });
      h.fake.queue({ tool: 'start_procedure', args: { sopId: 'damaged-parcel' } });
      expect(await h.exchange('my parcel arrived crushed')).toBe('Do you have a photo of the damage?');
      h.fake.queue({ tool: 'record_answer', args: { value: true } });
      expect(await h.exchange('yes, here it is')).toContain('passed your conversation to a colleague');
      const { turns } = await listAiTurns(h.ctx, h.conversationId());
      expect(turns[0]!.outcome).toBe('handed_off');
      const runId = turns[0]!.runId!;
      const run = await h.deps.engine.view(runId);
      expect(run).toMatchObject({ status: 'running', current: { stepId: 'checked', needs: 'evidence' } });
      expect(run.handoff).toMatchObject({ stepId: 'inspect', handoffId: expect.any(String) });

      // While the person has it, the customer's messages get no AI turn.
      const calls = h.fake.requests.length;
      expect(await h.exchange('hello?')).toBe('');
      expect(h.fake.requests.length).toBe(calls);

      const handoffId = run.handoff!.handoffId!;
      await takeHandoff(h.ctx, handoffId, alice);
      const after = await h.deps.engine.submit(runId, 'checked', { evidence: { damaged: true } }, alice);
      expect(after.current).toMatchObject({ stepId: 'remedy', needs: 'answer' });
      await resolveHandoff(h.ctx, handoffId, alice);
      await assignConversation(h.ctx, h.conversationId(), { assignee: 'ai_agent' }, alice);

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
      const sop = DAMAGED.replace('  damaged: confirmed', '  damaged: boolean').replace(
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
      h = await agentHarness({ sops: [sop] });
      h.fake.queue({ tool: 'start_procedure', args: { sopId: 'damaged-parcel' } });
      await h.exchange('my parcel arrived crushed');
      h.fake.queue({ tool: 'record_answer', args: { value: true } });
      await h.exchange('yes, here it is');
      const runId = (await listAiTurns(h.ctx, h.conversationId())).turns[0]!.runId!;
      const handoffId = (await h.deps.engine.view(runId)).handoff!.handoffId!;
      await takeHandoff(h.ctx, handoffId, alice);
      const after = await h.deps.engine.submit(runId, 'checked', { evidence: { damaged: false } }, alice);
      expect(after.status).toBe(status);
      await resolveHandoff(h.ctx, handoffId, alice);
      await assignConversation(h.ctx, h.conversationId(), { assignee: 'ai_agent' }, alice);

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
      const sop = DAMAGED.replace('  damaged: confirmed', '  damaged: boolean').replace(
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
      h = await agentHarness({ sops: [sop] });
      h.fake.queue({ tool: 'start_procedure', args: { sopId: 'damaged-parcel' } });
      await h.exchange('my parcel arrived crushed');
      h.fake.queue({ tool: 'record_answer', args: { value: true } });
      await h.exchange('yes, here it is');
      const runId = (await listAiTurns(h.ctx, h.conversationId())).turns[0]!.runId!;
      const handoffId = (await h.deps.engine.view(runId)).handoff!.handoffId!;
      await takeHandoff(h.ctx, handoffId, alice);
      const after = await h.deps.engine.submit(runId, 'checked', { evidence: { damaged: false } }, alice);
      expect(after.status).toBe(status);
      await sendReply(h.ctx, h.conversationId(), { body: reply }, alice);
      await resolveHandoff(h.ctx, handoffId, alice);
      await assignConversation(h.ctx, h.conversationId(), { assignee: 'ai_agent' }, alice);

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

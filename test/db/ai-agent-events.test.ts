/**
 * A run waiting for an outside event gets an AI turn when the event arrives, end to end through the fake OpenAI
 * server: the Cancel or Refund SOP waits for the return to be received; when staff receive it, the worker notices
 * without any customer message, the run goes on, and the customer is put the refund's preview.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerPending } from '../../src/agent/worker.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { invokeTool } from '../../src/tools/invoke.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';
import { theReturnId, untilTheReturnIsReceived } from '../support/ai-agent-flows.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

let h: AgentHarness;
afterEach(async () => h?.close());

const staff = { role: 'admin' as const, actor: { kind: 'human' as const, id: 'staff' } };
const asStaff = (name: string, args: Record<string, unknown>) =>
  invokeTool(h.ctx, TOOLS.find((t) => t.name === name)!, args, staff);

describe('a run waiting for an outside event', () => {
  /** Mo's refund of the delivered lamp, whose run waits at `received` for the return: the run's id. */
  let runId: string;
  beforeEach(async () => {
    h = await agentHarness();
    runId = await untilTheReturnIsReceived(h);
  }, SLOW);

  it(
    'the customer writes while it waits: the AI says what it waits for and by when, and the wait goes on',
    async () => {
      const waitBefore = (await h.deps.engine.view(runId)).current!.wait;
      expect(waitBefore?.until).toBeDefined();
      h.fake.queue({
        tool: 'reply_to_customer',
        args: {
          text: `We are waiting for your lamp to reach us, by ${waitBefore!.until!.slice(0, 10)} at the latest.`,
        },
      });
      expect(await h.exchange('Where is my refund??')).toBe(
        `We are waiting for your lamp to reach us, by ${waitBefore!.until!.slice(0, 10)} at the latest.`,
      );
      // The model was told what the run waits for and by when, and offered only a reply or a handoff.
      const shown = h.fake.requests.at(-1)!;
      expect(shown.text).toContain(`Expected by: ${waitBefore!.until!.slice(0, 10)}`);
      expect(shown.text).toContain('Where is my refund??');
      const view = await h.deps.engine.view(runId);
      expect(view.status).toBe('waiting');
      expect(view.current).toMatchObject({ stepId: 'received', wait: waitBefore });

      // Asked for a person while it waits: handed over, and the run stays at its wait for that person.
      h.fake.queue({ tool: 'hand_off', args: { reason: 'The customer wants a person.' } });
      expect(await h.exchange('I want to talk to a person')).toBe(
        'I have passed your conversation to a colleague, who will reply here as soon as possible.',
      );
      expect((await h.deps.engine.view(runId)).current).toMatchObject({ stepId: 'received', needs: 'event' });
    },
    SLOW,
  );

  it(
    "the wait's deadline passes with no event: a turn starts on the clock alone, says so and hands over",
    async () => {
      const until = Date.parse((await h.deps.engine.view(runId)).current!.wait!.until!);
      h.ctx.clock.set(new Date(until - 60_000));
      expect(await answerPending(h.deps)).toEqual([]); // not yet
      const before = (await h.outbound()).length;
      h.ctx.clock.set(new Date(until + 1000));
      const done = await answerPending(h.deps);
      expect(done.map((t) => [t.outcome, t.modelCalls])).toEqual([['handed_off', 0]]);
      const told = (await h.outbound()).slice(before).join('\n');
      expect(told).toContain('Your return has not reached us within 30 days');
      expect(told).toContain('I have passed your conversation to a colleague');
      expect((await h.deps.engine.view(runId)).status).toBe('handed_off');
      expect(await answerPending(h.deps)).toEqual([]);
    },
    SLOW,
  );

  it(
    'the return is declined instead: a turn starts without the customer writing, tells them why and hands over',
    async () => {
      const before = (await h.outbound()).length;
      await asStaff('decline_return', { returnId: await theReturnId(h), reason: 'The lamp shows signs of misuse' });
      const done = await answerPending(h.deps);
      expect(done.map((t) => [t.outcome, t.modelCalls])).toEqual([['handed_off', 0]]);
      const told = (await h.outbound()).slice(before).join('\n');
      expect(told).toContain('We could not accept your return RT-');
      expect(told).toContain('The lamp shows signs of misuse');
      expect((await h.deps.engine.view(runId)).status).toBe('handed_off');
    },
    SLOW,
  );

  it(
    'the return is received: a turn starts without the customer writing, and the run goes on to the refund',
    async () => {
      expect(await answerPending(h.deps)).toEqual([]); // nothing came yet

      const returnId = await theReturnId(h);
      await asStaff('approve_return', { returnId });
      // Events of other types, or before the one awaited, start no turn that changes anything.
      await asStaff('mark_return_picked_up', { returnId });
      const quiet = await answerPending(h.deps);
      expect(quiet.every((t) => t.modelCalls === 0)).toBe(true);
      expect(await answerPending(h.deps)).toEqual([]); // and the same events are not looked at twice

      await asStaff('receive_return', { returnId });
      const before = (await h.outbound()).length;
      h.fake.queue({ tool: 'put_to_customer', args: { text: 'Your return arrived; I can refund $20.00 for it.' } });
      const done = await answerPending(h.deps);
      expect(done.map((t) => t.outcome)).toEqual(['replied']);
      const told = (await h.outbound()).slice(before);
      expect(told).toHaveLength(1);
      expect(told[0]).toContain('Your return arrived; I can refund $20.00 for it.');
      expect((await h.deps.engine.view(runId)).current).toMatchObject({ stepId: 'refund_return', needs: 'confirm' });

      h.fake.queue({ tool: 'refund_order', args: {} });
      expect(await h.exchange('yes please')).toContain('We received your return; the refund of $20.00');
    },
    SLOW,
  );
});

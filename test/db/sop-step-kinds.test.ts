import { describe, expect, it } from 'vitest';
import { write } from '../../src/app/write.js';
import { SopEngine } from '../../src/sop/engine.js';
import type { Actor } from '../../src/domain/timeline.js';
import { fakeCatalogue, library, sopEngineTestBed } from '../support/sop-fakes.js';

const opts = { actor: { kind: 'human', id: 'sam' } as Actor };

/** branch, goto, wait (with and without a timeout), handoff, end, and a tool refusal followed with onRefused. */
const FLOW = `---
id: flow
title: Every kind of step
version: 2
appliesWhen: testing
inputs: [customerId]
customer: inputs.customerId
---

## Route

\`\`\`step
id: route
kind: ask
input: path
type: enum
options: [wait, handoff, fail, refuse, loop, patience]
\`\`\`

\`\`\`step
id: choose
kind: branch
cases:
  - when: inputs.path == "wait"
    goto: delivered
  - when: inputs.path == "handoff"
    goto: human
  - when: inputs.path == "fail"
    goto: refund
  - when: inputs.path == "refuse"
    goto: market
  - when: inputs.path == "patience"
    goto: reply
otherwise: again
\`\`\`

\`\`\`step
id: again
kind: goto
goto: done
\`\`\`

## Wait for delivery

\`\`\`step
id: delivered
kind: wait
event: shipment.status_changed
when: event.data.to == "delivered" && event.data.packageId == "pkg_mine0001"
\`\`\`

\`\`\`step
id: told
kind: say
message: Delivered ({{ steps.delivered.result.data.packageId }}).
next: done
\`\`\`

## A human

\`\`\`step
id: human
kind: handoff
summary: Customer {{ run.customerId }} wants a person.
\`\`\`

## Refund, then a check that fails

\`\`\`step
id: refund
kind: tool
tool: refund_order
args:
  orderId: '"ord_x0001"'
  reason: '"customer"'
compensate:
  tool: reverse_refund
  args:
    refundId: steps.refund.result.result.id
\`\`\`

\`\`\`step
id: sanity
kind: check
when: "false"
onFail:
  say: The amounts do not add up.
  end: failed
\`\`\`

## Marketplace

\`\`\`step
id: market
kind: tool
tool: marketplace_refund
args:
  orderId: '"ESG-1"'
onRefused:
  say: The marketplace refused; a person will follow up.
  handoff: Marketplace refused the refund for ESG-1.
\`\`\`

## Wait for the customer, two days at most

\`\`\`step
id: reply
kind: wait
event: message.received
timeout: 48h
onTimeout:
  say: No answer in two days; closing the loop.
  goto: done
next: done
\`\`\`

\`\`\`step
id: done
kind: end
say: All done.
\`\`\`
`;

const { context, engine } = sopEngineTestBed(FLOW);

async function shipmentEvent(packageId: string, to: string, customerId = 'cus_flow0001') {
  await write(context(), 'test', null, { actor: { kind: 'system' } }, ({ record }) =>
    record({ type: 'shipment.status_changed', customerId, data: { packageId, from: 'in_transit', to } }),
  );
}

describe('step kinds', () => {
  it('branch + goto + end: the otherwise path jumps to the end and says its message', async () => {
    const { engine: e } = engine();
    const v = await e.start({ sopId: 'flow', inputs: { customerId: 'cus_flow0001' } }, opts);
    const done = await e.submit(v.id, 'route', { answer: 'loop' }, opts);
    expect(done.status).toBe('completed');
    expect(done.completedSteps).toEqual(['route', 'choose', 'again', 'done']);
    expect(done.messages.map((m) => m.text)).toEqual(['All done.']);
    await expect(e.submit(v.id, 'route', { answer: 'nope' }, opts)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('enum answers must be one of the options', async () => {
    const { engine: e } = engine();
    const v = await e.start({ sopId: 'flow' }, opts);
    await expect(e.submit(v.id, 'route', { answer: 'sideways' }, opts)).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('wait: durable — waits for the matching timeline event only, then continues', async () => {
    const { engine: e } = engine();
    const v = await e.start({ sopId: 'flow', inputs: { customerId: 'cus_flow0001' } }, opts);
    expect(v.customerId).toBe('cus_flow0001');
    const w = await e.submit(v.id, 'route', { answer: 'wait' }, opts);
    expect(w.status).toBe('waiting');
    expect(w.current).toMatchObject({
      stepId: 'delivered',
      needs: 'event',
      wait: { event: 'shipment.status_changed' },
    });
    await expect(e.submit(v.id, 'delivered', {}, opts)).rejects.toMatchObject({
      details: { reason: 'step_waits_for_event' },
    });
    await shipmentEvent('pkg_other0001', 'delivered'); // another package
    await shipmentEvent('pkg_mine0001', 'out_for_delivery'); // not yet delivered
    await shipmentEvent('pkg_mine0001', 'delivered', 'cus_someoneelse'); // another customer
    expect((await e.view(v.id)).status).toBe('waiting');
    await shipmentEvent('pkg_mine0001', 'delivered');
    const after = await e.view(v.id);
    expect(after.status).toBe('completed');
    expect(after.messages.map((m) => m.text)).toEqual(['Delivered (pkg_mine0001).', 'All done.']);
  });

  it('wait with a timeout: waits until the deadline, then takes onTimeout; an event in time continues as usual', async () => {
    let t = Date.parse('2026-11-25T09:00:00.000Z');
    const clocked = { ...context(), clock: { now: () => new Date(t) } };
    const e = new SopEngine({ ctx: clocked, catalogue: fakeCatalogue().catalogue, library: library(FLOW) });
    const v = await e.start({ sopId: 'flow', inputs: { customerId: 'cus_patient001' } }, opts);
    const w = await e.submit(v.id, 'route', { answer: 'patience' }, opts);
    expect(w).toMatchObject({
      status: 'waiting',
      current: {
        stepId: 'reply',
        needs: 'event',
        wait: { event: 'message.received', until: '2026-11-27T09:00:00.000Z' },
      },
    });
    t += 47 * 3_600_000;
    expect((await e.view(v.id)).status).toBe('waiting');
    t += 3_600_000;
    const out = await e.view(v.id);
    expect(out.status).toBe('completed');
    expect(out.completedSteps).toEqual(['route', 'choose', 'reply', 'done']);
    expect(out.messages.map((m) => m.text)).toEqual(['No answer in two days; closing the loop.', 'All done.']);
    expect(out.notices.map((n) => n.message)).toEqual([
      'Wait for the customer, two days at most: no message.received within 48h.',
    ]);

    const answered = await e.start({ sopId: 'flow', inputs: { customerId: 'cus_patient002' } }, opts);
    await e.submit(answered.id, 'route', { answer: 'patience' }, opts);
    t += 3_600_000;
    await write(clocked, 'test', null, { actor: { kind: 'system' } }, ({ record }) =>
      record({
        type: 'message.received',
        customerId: 'cus_patient002',
        data: { conversationId: 'cnv_x', messageId: 'msg_x', excerpt: 'yes please' },
      }),
    );
    t += 72 * 3_600_000; // long past the deadline, but the answer came in time
    const on = await e.view(answered.id);
    expect(on.status).toBe('completed');
    expect(on.messages.map((m) => m.text)).toEqual(['All done.']);
  });

  it('a wait needs timeout and onTimeout together, and the timeout is a duration', () => {
    const bad = (step: string) => FLOW.replace(/```step\nid: reply[\s\S]*?```/, step);
    expect(() => library(bad('```step\nid: reply\nkind: wait\nevent: message.received\ntimeout: 48h\n```'))).toThrow(
      /timeout and onTimeout together/,
    );
    expect(() =>
      library(
        bad(
          '```step\nid: reply\nkind: wait\nevent: message.received\ntimeout: two days\nonTimeout:\n  goto: done\n```',
        ),
      ),
    ).toThrow(/duration such as 30m, 48h or 7d/);
  });

  it('handoff: the run is handed_off with a summary and its state, and queues the customer for a person', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'flow', inputs: { customerId: 'cus_flow0001' } }, opts);
    const h = await e.submit(v.id, 'route', { answer: 'handoff' }, opts);
    expect(h).toMatchObject({
      status: 'handed_off',
      handoff: { stepId: 'human', summary: 'Customer cus_flow0001 wants a person.' },
      current: null,
    });
    expect(h.inputs).toEqual({ customerId: 'cus_flow0001', path: 'handoff' });
    expect(fakes.calls.filter((c) => c.tool === 'transfer_to_human_representative')).toEqual([
      {
        tool: 'transfer_to_human_representative',
        key: `sop:${v.id}:human:handoff`,
        args: { customerId: 'cus_flow0001', summary: `Customer cus_flow0001 wants a person. (SOP run ${v.id})` },
      },
    ]);
    expect(h.notices.at(-1)?.message).toMatch(/^Handed to a person: handoff /);
  });

  it('handoff without a known customer: nothing can be queued, and the run says so', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'flow' }, opts);
    const h = await e.submit(v.id, 'route', { answer: 'handoff' }, opts);
    expect(h.status).toBe('handed_off');
    expect(fakes.effects.transfer_to_human_representative).toBeUndefined();
    expect(h.notices.at(-1)).toEqual({
      stepId: 'human',
      message: 'No handoff was queued: the run does not know the customer. Hand the case to a person yourself.',
    });
  });

  it('check failing into end: failed runs the compensations of the steps done', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'flow' }, opts);
    const r = await e.submit(v.id, 'route', { answer: 'fail' }, opts);
    // Without onRefused, nothing to go on along: a refused preview offers no way on.
    expect(r.current?.tool?.followsRefusal).toBeUndefined();
    const f = await e.submit(r.id, 'refund', { confirm: true }, opts);
    expect(f.status).toBe('failed');
    expect(f.failure).toMatchObject({ stepId: 'sanity' });
    expect(f.notices[0]?.message).toContain('The amounts do not add up.');
    expect(f.compensations).toMatchObject([{ stepId: 'refund', tool: 'reverse_refund', ok: true }]);
    expect(fakes.effects).toEqual({ refund_order: 1, reverse_refund: 1 });
  });

  it('tool onRefused: the refusal is recorded with its rule and the run follows onRefused', async () => {
    const { engine: e, fakes } = engine();
    fakes.failMarketplace = 'refuse';
    const v = await e.start({ sopId: 'flow' }, opts);
    const atMarket = await e.submit(v.id, 'route', { answer: 'refuse' }, opts);
    // The view says so, so a person may go on while the preview is refused (the SOP panel's "Go on" button).
    expect(atMarket.current).toMatchObject({ stepId: 'market', tool: { followsRefusal: true } });
    const r = await e.submit(v.id, 'market', { confirm: true }, opts);
    expect(r.status).toBe('handed_off');
    expect(r.refusals).toEqual([
      {
        stepId: 'market',
        tool: 'marketplace_refund',
        reason: 'marketplace_closed',
        message: 'The marketplace order is closed.',
      },
    ]);
    expect(r.messages.at(-1)?.text).toBe('The marketplace refused; a person will follow up.');
  });

  it('a run resumes on the SOP text it started with, even when the library changes', async () => {
    const first = engine();
    const v = await first.engine.start({ sopId: 'flow' }, opts);
    const changed = FLOW.replace('say: All done.', 'say: Changed.').replace('version: 2', 'version: 3');
    const second = new SopEngine({ ctx: context(), catalogue: first.fakes.catalogue, library: library(changed) });
    const done = await second.submit(v.id, 'route', { answer: 'loop' }, opts);
    expect(done.sopVersion).toBe('2');
    expect(done.messages.at(-1)?.text).toBe('All done.');
  });
});

/**
 * `confirmedWith`: a write step that carries out what an earlier write step's confirm agreed to runs on that confirm,
 * instead of asking for one of its own — and asks for its own when that step's action was not done in the run.
 */
import { describe, expect, it } from 'vitest';
import { write } from '../../src/app/write.js';
import type { Actor } from '../../src/domain/timeline.js';
import { sopEngineTestBed } from '../support/sop-fakes.js';

const opts = { actor: { kind: 'human', id: 'sam' } as Actor };

const SOP = `---
id: agreed-once
title: A refund pushed to the marketplace on one confirm
version: 1
appliesWhen: testing
---

## Route

\`\`\`step
id: route
kind: ask
input: path
type: enum
options: [refund, push_only]
\`\`\`

\`\`\`step
id: choose
kind: branch
cases:
  - when: inputs.path == "push_only"
    goto: market
otherwise: refund
\`\`\`

## Refund

\`\`\`step
id: refund
kind: tool
tool: refund_order
args:
  orderId: '"ord_x0001"'
  reason: '"customer"'
\`\`\`

## Push it to the marketplace

\`\`\`step
id: market
kind: tool
tool: marketplace_refund
confirmedWith: refund
args:
  orderId: '"ESG-1"'
\`\`\`

\`\`\`step
id: done
kind: end
say: Refunded.
\`\`\`
`;

/** The same steps with a wait between them: the run goes on at the push later, when the event comes. */
const LATER = SOP.replace('id: agreed-once', 'id: agreed-later')
  .replace('appliesWhen: testing', 'appliesWhen: testing\ninputs: [customerId]\ncustomer: inputs.customerId')
  .replace(
    '## Push it to the marketplace',
    '```step\nid: settled\nkind: wait\nevent: shipment.status_changed\n```\n\n## Push it to the marketplace',
  );

const { context, engine } = sopEngineTestBed(SOP, LATER);

describe('a write step confirmedWith an earlier one', () => {
  it('runs on that step’s confirm: one confirm, both writes, each under its own idempotency key', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'agreed-once' }, opts);
    const atRefund = await e.submit(v.id, 'route', { answer: 'refund' }, opts);
    expect(atRefund.current).toMatchObject({ stepId: 'refund', needs: 'confirm' });
    const done = await e.submit(v.id, 'refund', { confirm: true }, opts);
    expect(done.status).toBe('completed');
    expect(done.completedSteps).toEqual(['route', 'choose', 'refund', 'market', 'done']);
    expect(fakes.effects).toEqual({ refund_order: 1, marketplace_refund: 1 });
    expect(fakes.calls.filter((c) => c.tool === 'marketplace_refund').map((c) => c.key)).toEqual([
      `sop:${v.id}:market`,
    ]);
  });

  it('asks for its own confirm when the step it goes with did not act in the run', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'agreed-once' }, opts);
    const atMarket = await e.submit(v.id, 'route', { answer: 'push_only' }, opts);
    expect(atMarket.status).toBe('running');
    expect(atMarket.current).toMatchObject({ stepId: 'market', needs: 'confirm' });
    expect(fakes.effects).toEqual({});
    await expect(e.submit(v.id, 'market', {}, opts)).rejects.toMatchObject({
      details: { reason: 'confirmation_required' },
    });
    expect((await e.submit(v.id, 'market', { confirm: true }, opts)).status).toBe('completed');
    expect(fakes.effects).toEqual({ marketplace_refund: 1 });
  });

  it('asks for its own confirm when the run goes on later, not in the request of that confirm: a look never writes', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'agreed-later', inputs: { customerId: 'cus_later0001' } }, opts);
    await e.submit(v.id, 'route', { answer: 'refund' }, opts);
    const waiting = await e.submit(v.id, 'refund', { confirm: true }, opts);
    expect(waiting).toMatchObject({ status: 'waiting', current: { stepId: 'settled' } });
    await write(context(), 'test', null, { actor: { kind: 'system' } }, ({ record }) =>
      record({
        type: 'shipment.status_changed',
        customerId: 'cus_later0001',
        data: { packageId: 'pkg_1', from: 'in_transit', to: 'delivered' },
      }),
    );
    const looked = await e.view(v.id);
    expect(looked.current).toMatchObject({ stepId: 'market', needs: 'confirm' });
    expect(fakes.effects).toEqual({ refund_order: 1 });
  });
});

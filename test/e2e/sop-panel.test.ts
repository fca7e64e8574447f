/**
 * The SOP panel in a browser: an agent opens a conversation, starts a procedure for its customer and follows it
 * step by step to a return tracking id — answers, a check that fails with its reason, evidence for a manual step,
 * the initiate_return preview with a confirm — on the real tools.
 *
 * The built-in Handling Returns journey is in sop-handling-returns.test.ts. This one runs a small return SOP written
 * here, registered beside the built-ins, and covers what that journey does not reach: a check that fails and asks
 * again, and a manual step's evidence form. A second one, whose return step declares a compensation, is canceled
 * with undo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parseSop } from '../../src/sop/parser.js';
import { defaultLibrary, libraryOf } from '../../src/sop/library.js';
import { SopEngine, useSopEngine } from '../../src/sop/engine.js';
import { loadInboxFixture, type InboxFixture } from '../support/inbox-fixtures.js';
import { openConversationByEmail, shot, signIn, startE2E, type E2E } from './support.js';

const RETURN_SOP =
  String.raw`---
id: return-to-tracking-id
title: Return to a tracking id
version: 1
appliesWhen: A customer wants to send back a damaged item.
triggers: [return]
channel: any
---

# Return to a tracking id

## Which order

Ask which order the customer wants to return items from.

` +
  '```step' +
  String.raw`
id: order_ref
kind: ask
input: order
type: order
prompt: 'Which order is it (for example #1001)?'
` +
  '```\n\n```step' +
  String.raw`
id: order
kind: tool
tool: get_order_details
args:
  orderId: inputs.order
` +
  '```\n\n```step' +
  String.raw`
id: own_order
kind: check
when: steps.order.result.customerId == run.customerId
onFail:
  say: Order {{ inputs.order }} is not on your account.
  goto: order_ref
` +
  '```\n\n## Can it be returned\n\nCheck the items against the return rules.\n\n```step' +
  String.raw`
id: eligibility
kind: tool
tool: check_return_eligibility
args:
  orderId: steps.order.result.orderId
` +
  '```\n\n```step' +
  String.raw`
id: any_eligible
kind: check
when: steps.eligibility.result.items.exists(i, i.eligible)
onFail:
  say: "Nothing on order {{ inputs.order }} can be returned now: {{ steps.eligibility.result.items.map(i, i.message) }}"
  goto: order_ref
` +
  '```\n\n## Which items\n\n```step' +
  String.raw`
id: items
kind: ask
input: items
type: items
prompt: Which items, and how many of each?
` +
  "```\n\n## Look at the photos\n\nOpen the photo inbox, find the customer's photos and confirm the damage.\n\n```step" +
  String.raw`
id: photos
kind: manual
system: Photo inbox
hints: [Photos arrive as IMG-<number>]
evidence:
  photoRef: {type: string, pattern: '^IMG-\d+$', label: Photo reference}
  damageSeen: {type: confirmed, label: The damage is visible in the photo}
` +
  '```\n\n## Start the return\n\n```step' +
  String.raw`
id: reason
kind: ask
input: reason
type: enum
options: [DAMAGED, DEFECTIVE, WRONG_ITEM, ORDERED_BY_MISTAKE, OTHER]
prompt: Why are the items returned?
` +
  '```\n\nCall initiate_return with the items and the reason.\n\n```step' +
  String.raw`
id: initiate
kind: tool
tool: initiate_return
args:
  orderId: steps.order.result.orderId
  items: inputs.items
  reason: inputs.reason
` +
  '```\n\n```step' +
  String.raw`
id: tell
kind: say
message: Your return tracking id is {{ steps.initiate.result.result.trackingId }}.
disclosures:
  - Shipping fees will not be refunded; only the item cost will be refunded.
  - The return will be approved first, and only then will the pickup of the item begin.
` +
  '```\n';

/** A return the agent may take back: its initiate step declares a compensation, and the run waits for an answer after it. */
const UNDOABLE_SOP =
  String.raw`---
id: return-then-ask
title: Return, then ask
version: 1
appliesWhen: Testing a run canceled with undo.
---

# Return, then ask

` +
  '```step' +
  String.raw`
id: order_ref
kind: ask
input: order
type: order
prompt: Which order?
` +
  '```\n\n```step' +
  String.raw`
id: items
kind: ask
input: items
type: items
prompt: Which items?
` +
  '```\n\n```step' +
  String.raw`
id: initiate
kind: tool
tool: initiate_return
args:
  orderId: inputs.order
  items: inputs.items
  reason: '"DAMAGED"'
compensate:
  tool: cancel_return
  args:
    returnId: steps.initiate.result.result.id
    reason: '"the agent undid the procedure"'
` +
  '```\n\n```step' +
  String.raw`
id: happy
kind: ask
input: happy
type: boolean
prompt: Is the customer happy with this?
` +
  '```\n';

let e: E2E;
let fx: InboxFixture;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  const docs = [parseSop(RETURN_SOP, 'return-to-tracking-id.md'), parseSop(UNDOABLE_SOP, 'return-then-ask.md')].map(
    (p) => {
      if (!p.doc) throw new Error(`test SOP does not parse: ${JSON.stringify(p.issues)}`);
      return p.doc;
    },
  );
  useSopEngine(e.ctx, new SopEngine({ ctx: e.ctx, library: libraryOf([...defaultLibrary().list(), ...docs]) }));
  fx = await loadInboxFixture((m, p, b) => e.request(m, p, b));
  // A procedure started from a conversation takes its linked order as answered; these journeys choose the order.
  await e.request('PATCH', `/v1/conversations/${fx.conversation.id}`, { unlinkOrders: [fx.partialOrder.name] });
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
  await openConversationByEmail(page, fx.customer.email);
});
afterAll(() => e.close());

const panel = () => page.getByRole('region', { name: 'Procedures' });
const step = () => panel().getByRole('region', { name: 'What you do now' });

describe('the SOP panel', () => {
  it("lists the procedures and starts one for the conversation's customer", async () => {
    await page.getByRole('tab', { name: 'Procedures' }).click();
    const start = panel().getByRole('form', { name: 'Start a procedure' });
    await start.getByLabel('Procedure').selectOption({ label: 'Handling Returns' });
    expect(await start.textContent()).toContain('A customer wants to return an item.');
    await start.getByLabel('Procedure').selectOption({ label: 'Return to a tracking id' });
    await start.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => step().textContent()).toContain('Which order is it');
    expect(
      await panel()
        .getByLabel(/^Run status:/)
        .textContent(),
    ).toBe('In progress');
  });

  it('shows a failed check with its reason and asks again', async () => {
    await step().getByLabel('Which order is it (for example #1001)?').fill(fx.unpaidOrder.name);
    await step().getByRole('button', { name: 'Submit answer' }).click();
    const checks = panel().getByRole('region', { name: 'Check results' });
    await expect
      .poll(() => checks.textContent())
      .toContain(`Nothing on order ${fx.unpaidOrder.name} can be returned now`);
    expect(await checks.textContent()).toMatch(/delivered/);
    await expect.poll(() => step().textContent()).toContain('Which order is it');
  });

  it('runs to a return tracking id: items, evidence for the manual step, the preview and a confirm', async () => {
    await step().getByLabel('Which order is it (for example #1001)?').fill(fx.partialOrder.name);
    await step().getByRole('button', { name: 'Submit answer' }).click();
    await expect.poll(() => step().textContent()).toContain('Which items, and how many of each?');
    await step()
      .getByLabel(/Desk lamp — Black/)
      .fill('2');
    await step().getByRole('button', { name: 'Submit answer' }).click();

    const evidence = step().getByRole('form', { name: /Evidence for/ });
    await evidence.waitFor();
    expect(await evidence.textContent()).toContain('Photo inbox');
    await evidence.getByLabel('Photo reference').fill('IMG-4411');
    await evidence.getByLabel('The damage is visible in the photo').check();
    await shot(page, 'sop-panel');
    await evidence.getByRole('button', { name: 'Record evidence' }).click();

    await step().getByLabel('Why are the items returned?').selectOption({ label: 'Damaged' });
    await step().getByRole('button', { name: 'Submit answer' }).click();
    const preview = step().getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('2 × Desk lamp — Black');
    expect(await preview.textContent()).toContain('Shipping fees will not be refunded');
    await shot(page, 'sop-confirm');
    await step()
      .getByRole('button', { name: /^(Confirm|Start the return)/ })
      .click();

    const said = panel().getByRole('region', { name: 'Say to the customer' });
    await expect.poll(() => said.textContent()).toMatch(/Your return tracking id is RT-[A-Z0-9]+/);
    expect(await said.textContent()).toContain('only then will the pickup of the item begin');
    expect(
      await panel()
        .getByLabel(/^Run status:/)
        .textContent(),
    ).toBe('Completed');

    const runs = (await e.request('GET', `/v1/sop-runs?customerId=${fx.customer.id}`)).body.runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      sopId: 'return-to-tracking-id',
      status: 'completed',
      conversationId: fx.conversation.id,
    });
    const history = (await e.request('GET', `/v1/sop-runs/${runs[0].id}/history`)).body;
    expect(JSON.stringify(history)).toContain('IMG-4411');
  });

  it('cancels a run with undo: the return it started is canceled again, and the panel shows the undo', async () => {
    const customer = (await e.request('GET', `/v1/customers/${fx.customer.id}`)).body;
    const lamp = (await e.request('GET', `/v1/orders/${fx.partialOrder.id}`)).body.lines[0].sku;
    const order = (
      await e.request('POST', '/v1/orders', {
        customerId: fx.customer.id,
        currency: 'USD',
        placedAt: '2026-11-18T09:00:00Z',
        lines: [{ sku: lamp, quantity: 1 }],
        transactions: [{ kind: 'sale', amount: 2000, paymentMethodId: customer.paymentMethods[0].id }],
        packages: [
          {
            carrier: 'AusPost',
            trackingNumber: 'AP400',
            status: 'delivered',
            deliveredAt: '2026-11-20T12:00:00Z',
            items: [{ sku: lamp, quantity: 1 }],
          },
        ],
      })
    ).body;
    await panel().getByRole('button', { name: '← All procedures' }).click();
    const start = panel().getByRole('form', { name: 'Start a procedure' });
    await start.getByLabel('Procedure').selectOption({ label: 'Return, then ask' });
    await start.getByRole('button', { name: 'Start' }).click();
    await step().getByLabel('Which order?').fill(order.name);
    await step().getByRole('button', { name: 'Submit answer' }).click();
    await expect.poll(() => step().textContent()).toContain('Which items?');
    await step()
      .getByLabel(/Desk lamp — Black/)
      .fill('1');
    await step().getByRole('button', { name: 'Submit answer' }).click();
    await step()
      .getByRole('button', { name: /^(Confirm|Start the return)/ })
      .click();
    await expect.poll(() => step().textContent()).toContain('Is the customer happy with this?');
    const run = (await e.request('GET', `/v1/sop-runs?customerId=${fx.customer.id}`)).body.runs.find(
      (r: { sopId: string }) => r.sopId === 'return-then-ask',
    );
    const returnId = /"(ret_[a-z0-9]+)"/.exec(
      JSON.stringify((await e.request('GET', `/v1/sop-runs/${run.id}/history`)).body),
    )![1];
    const status = async () => (await e.request('GET', `/v1/returns/${returnId}`)).body.status;
    expect(await status()).toBe('requested');

    await panel().getByRole('button', { name: 'Cancel and undo' }).click();
    await expect
      .poll(() =>
        panel()
          .getByLabel(/^Run status:/)
          .textContent(),
      )
      .toBe('Canceled');
    expect(await panel().getByRole('list', { name: 'Compensations' }).textContent()).toMatch(/^Undo of “.+”: done$/);
    expect(await status()).toBe('canceled');
  });

  it("shows where each run stands in the list of the customer's runs", async () => {
    await panel().getByRole('button', { name: '← All procedures' }).click();
    const list = panel().getByRole('list', { name: 'Procedure runs' });
    await expect.poll(() => list.textContent()).toContain('Return to a tracking id');
    expect(await list.textContent()).toContain('Completed');
    expect(await list.textContent()).toContain('this conversation');
  });
});

/**
 * A journey on the BUILT-IN Kogan marketplace refund (sops/marketplace-refund-kogan), on a fresh install with the demo
 * store and no connector configured, through the UI only: an agent finds Olivia — the customer of Kogan order #1002 —
 * with the inbox's search, opens her Kogan ticket, and runs the procedure to its end. The ticket reference is the
 * manual step's evidence, taken from the ticket the run starts from (no one types it; a run without a ticket asks for
 * it and refuses a blank one: test/db/sop-ticket-from-conversation.test.ts). #1002 was delivered and can be returned, so the
 * store refund is refused for a return and the procedure starts the return instead, and waits for its refund. The
 * return then goes its way on the order card — approved, picked up, received — and its refund, whose button says the
 * amount the preview refunds (Kogan adds shipping with the last lines), is previewed as Kogan's to make (Kogan took the
 * payment; never a card of the customer's), sent for approval (it is in AUD, the agent's limit in USD), approved by a
 * colleague, and shown refunded. The run then goes on by itself, and the agent takes it to its end by hand: the board
 * log, the ESG number, the seller-portal refund and the reply. The run stays one entry on the timeline, with the
 * return's events beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { shot, signIn, startE2E, type E2E } from './support.js';

let e: E2E;
let page: Page;

beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.ctx, { customers: 10, orders: 40, seed: 'sopdesk' }, { actor: { kind: 'system', id: 'demo' } });
  page = await e.newPage();
  await signIn(page, e.url, await e.token('agent', 'Alex'));
});
afterAll(() => e.close());

const panel = () => page.getByRole('region', { name: 'Procedures' });
const step = () => panel().getByRole('region', { name: 'What you do now' });
const runStatus = () =>
  panel()
    .getByLabel(/^Run status:/)
    .textContent();
const sidebar = () => page.getByRole('complementary', { name: 'Customer' });
const orderCard = () => sidebar().getByRole('article', { name: 'Order #1002' });
const returns = () => orderCard().getByRole('region', { name: 'Returns and exchanges of order #1002' });
let trackingId = '';

describe('the built-in Kogan marketplace refund, in the inbox, without connectors', () => {
  it("finds the customer of #1002 by the inbox's search and opens her Kogan ticket", async () => {
    await page.getByRole('searchbox', { name: 'Find a customer, an order or a conversation' }).fill('kogan.buyer');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const olivia = page.getByRole('list', { name: 'Customers' }).getByRole('listitem').filter({ hasText: 'Olivia' });
    await expect.poll(() => olivia.textContent()).toContain('kogan.buyer@example.com');
    await olivia.getByRole('button', { name: 'Conversations' }).click();
    const ticket = page
      .getByRole('list', { name: 'Conversation list' })
      .getByRole('link', { name: /ticket KT-4471203/ });
    await ticket.click();
    await page.getByRole('heading', { name: /ticket KT-4471203/ }).waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Messages' }).textContent()).toContain('ESG-58231467');
  });

  it('starts the Kogan procedure, which records the reference of the ticket it was started from', async () => {
    await page.getByRole('tab', { name: 'Procedures' }).click();
    const start = panel().getByRole('form', { name: 'Start a procedure' });
    await start.getByLabel('Procedure').selectOption({ label: 'Marketplace refund (Kogan)' });
    expect(await start.textContent()).toContain(
      'A customer who bought through the Kogan marketplace is to be refunded.',
    );
    await start.getByRole('button', { name: 'Start' }).click();
    // No one types the reference: the ticket step is answered from the conversation, and says so.
    const recorded = panel().getByRole('region', { name: 'Recorded evidence' });
    await expect
      .poll(() => recorded.textContent())
      .toContain("The Kogan ticket referenceKT-4471203 · from the conversation's ticket");
    expect(await recorded.textContent()).toContain('in Kogan inbox / helpdesk');
    expect(
      await step()
        .getByRole('form', { name: /^Evidence for/ })
        .count(),
    ).toBe(0);
    expect(await runStatus()).toBe('In progress');
  });

  it("takes the email and order the ticket knows, and asks which of #1002's items Kogan refunds", async () => {
    await expect.poll(() => step().textContent()).toContain('Which items does the Kogan refund cover?');
    expect(await step().getByLabel('Order', { exact: true }).inputValue()).toBe('#1002');
    await step()
      .getByLabel(/Bamboo Bed Sheet Set — Queen/)
      .fill('1');
    await step()
      .getByLabel(/Stainless Cookware Set/)
      .fill('1');
    await step().getByRole('button', { name: 'Submit answer' }).click();
  });

  it('shows the store refund refused for a return, and goes on along the procedure instead of off it', async () => {
    const refused = step().getByRole('alert');
    await expect.poll(() => refused.textContent()).toContain('delivered units must be returned first');
    // Not "start a return on the order card": the procedure itself starts it.
    expect(await refused.textContent()).not.toContain('order card');
    expect(await step().getByRole('button', { name: 'Confirm refund' }).count()).toBe(0);
    await shot(page, 'sop-kogan-refund-refused');
    await step().getByRole('button', { name: 'Go on with the procedure' }).click();
    const reason = step().getByLabel('Why is the item coming back?');
    await reason.waitFor();
    await reason.selectOption({ label: 'Damaged' });
    await step().getByRole('button', { name: 'Submit answer' }).click();
  });

  it('previews the return, starts it, says what to tell the customer, and waits for its refund', async () => {
    const preview = step().getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.textContent()).toContain('1 × Bamboo Bed Sheet Set — Queen');
    expect(await preview.textContent()).toContain('1 × Stainless Cookware Set');
    await step().getByRole('button', { name: 'Start the return' }).click();
    await expect.poll(runStatus).toBe('Waiting for an event');
    expect(await step().getByRole('status').textContent()).toContain('Waiting for return.refunded');
    const said = (await panel().getByRole('region', { name: 'Say to the customer' }).textContent()) ?? '';
    expect(said).toMatch(
      /We have started the return of your Kogan order #1002; your return tracking id is RT-[A-Z0-9]+\. Kogan refunds you once the item is back with us\./,
    );
    trackingId = /RT-[A-Z0-9]+/.exec(said)![0];
    await shot(page, 'sop-kogan-waiting');
  });

  it('shows the return on the order card, and moves it to received', async () => {
    await page.getByRole('tab', { name: 'Orders' }).click();
    await expect.poll(() => returns().textContent()).toContain(`${trackingId} Requested, awaiting approval`);
    for (const [next, confirm, state] of [
      ['Approve', 'Approve the return', 'Approved, awaiting pickup'],
      ['Mark picked up', 'Mark picked up', 'In transit to the returns centre'],
      ['Mark received', 'Mark received', 'Received, awaiting refund'],
    ] as const) {
      await returns()
        .getByRole('button', { name: `${next} — return ${trackingId}` })
        .click();
      await returns().getByRole('button', { name: confirm, exact: true }).click();
      await expect.poll(() => returns().textContent()).toContain(`${trackingId} ${state}`);
    }
  });

  it("previews the return's refund as Kogan's to make, never to a card, and sends it for approval", async () => {
    // The button says what the preview refunds: the items (A$316.80) and, with the order's last lines, Kogan's shipping.
    await returns()
      .getByRole('button', { name: `Refund A$326.75 — return ${trackingId}`, exact: true })
      .click();
    const preview = returns().getByRole('region', { name: 'Preview' });
    await expect
      .poll(() => preview.textContent())
      .toContain(
        'Kogan will refund A$326.75 to the customer (Kogan took the payment) once the refund is made in the Kogan seller portal.',
      );
    expect(await preview.getByRole('definition').allTextContents()).toContain('Kogan (A$326.75)');
    expect(await preview.textContent()).not.toMatch(/••••|Visa|Amex|Mastercard/);
    await shot(page, 'sop-kogan-refund-preview');
    await returns().getByRole('button', { name: 'Refund A$326.75', exact: true }).click();
    // The refund is in AUD and an agent's limit in USD: it waits for a person's approval, and the card says so.
    await expect
      .poll(() => returns().getByRole('status').textContent())
      .toBe('Sent for approval: nothing has happened yet. A colleague approves or declines it under Approvals.');
    expect(await returns().textContent()).toContain(`${trackingId} Received, awaiting refund`);
  });

  it('is approved by a colleague under Approvals, and the order card shows the return refunded', async () => {
    // A request is decided by someone other than who asked for it: the team lead, in their own browser.
    const lead = await e.newPage();
    await signIn(lead, e.url, await e.token('admin', 'Sam'));
    await lead.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
    const pending = lead.getByRole('list', { name: 'Pending approvals' });
    await expect.poll(() => pending.textContent()).toContain('Refund order of A$326.75 · asked by Alex (agent)');
    expect(await pending.textContent()).toContain('The refund is in another currency than the limit');
    await pending.getByRole('button', { name: 'Approve Refund order of A$326.75' }).click();
    await expect.poll(() => lead.getByText('Refund order of A$326.75: approved and done.').count()).toBe(1);
    await lead.context().close();
    // The agent's inbox is live: the card changes without a reload.
    await expect.poll(() => returns().textContent()).toContain(`${trackingId} Refunded`);
    await expect
      .poll(() => orderCard().getByRole('list', { name: 'Statuses of order #1002' }).textContent())
      .toContain('Financial status: Refunded');
  });

  it('goes on by itself once the return is refunded, and asks for the board log by hand (no board configured)', async () => {
    await page.getByRole('tab', { name: 'Procedures' }).click();
    // Opened again from the customer's runs, the run reads its awaited event — the return's refund — and goes on.
    await panel()
      .getByRole('button', { name: /^Open Marketplace refund \(Kogan\) run, / })
      .click();
    await expect.poll(runStatus).toBe('In progress');
    const evidence = step().getByRole('form', { name: /^Evidence for/ });
    await expect.poll(() => evidence.textContent()).toContain('Work board (Monday)');
    await evidence.getByLabel('The order number as logged on the board').fill('#1002');
    await evidence.getByLabel("The board item's number").fill('9000000417');
    await evidence.getByLabel('The refund is logged on the work board').check();
    await evidence.getByRole('button', { name: 'Record evidence' }).click();
  });

  it('takes the ESG number, the seller-portal refund and the reply by hand, and completes', async () => {
    const evidence = step().getByRole('form', { name: /^Evidence for/ });
    await expect.poll(() => evidence.textContent()).toContain('Kogan communication thread');
    await evidence.getByLabel("Kogan's ESG- order number").fill('ESG-58231467');
    await evidence.getByLabel("The customer's email address").fill('kogan.buyer@example.com');
    await evidence.getByRole('button', { name: 'Record evidence' }).click();

    await expect.poll(() => evidence.textContent()).toContain('Kogan seller portal');
    await evidence.getByLabel('The order was found in Manage my orders (30-day search)').check();
    await evidence.getByLabel('The item was refunded and the refund confirmed in the portal').check();
    await evidence.getByRole('button', { name: 'Record evidence' }).click();

    await expect.poll(() => evidence.textContent()).toContain('Kogan inbox');
    await evidence.getByLabel('Replied to the customer in the Kogan thread').check();
    await evidence.getByLabel('The Kogan ticket is resolved').check();
    await evidence.getByRole('button', { name: 'Record evidence' }).click();

    await expect.poll(runStatus).toBe('Completed');
    expect(await panel().getByRole('region', { name: 'Say to the customer' }).textContent()).toContain(
      'Your refund for Kogan order ESG-58231467 has been processed.',
    );
    await shot(page, 'sop-kogan-completed');
  });

  it('keeps the run as one entry on the timeline, with its evidence, and the return beside it', async () => {
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByRole('region', { name: 'Activity timeline' });
    await expect.poll(() => timeline.textContent()).toContain('Procedure marketplace-refund-kogan completed');
    // The run's first steps are on an older page: loaded, they join the same entry.
    const older = timeline.getByRole('button', { name: 'Older activity' });
    await expect
      .poll(async () => {
        const now = (await timeline.textContent()) ?? '';
        if (!now.includes('KT-4471203') && (await older.isEnabled().catch(() => false)))
          await older.click({ timeout: 1000 }).catch(() => undefined);
        return now;
      })
      .toContain('The Kogan ticket reference: KT-4471203');
    const text = (await timeline.textContent()) ?? '';
    const runs = timeline.locator('ol > li.timeline-run');
    expect(await runs.count()).toBe(1);
    expect(await runs.textContent()).toContain("Kogan's ESG- order number: ESG-58231467");
    // Opened, the entry lists its steps, and says where the ticket reference came from.
    await runs.locator('.disclosure-trigger').first().click();
    await expect
      .poll(() => runs.textContent())
      .toContain("The Kogan ticket reference: KT-4471203, from the conversation's ticket");
    expect(text).toContain(`Return ${trackingId} requested (damaged) on order #1002`);
    expect(text).toContain(`Return ${trackingId} received at the centre on order #1002`);
    await shot(page, 'sop-kogan-timeline');
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from './api/types';
import { fakeApi, renderWithQueries } from './test-support';
import { Timeline } from './Timeline';

let seq = 0;
const ev = (type: string, data: Record<string, unknown>): TimelineEvent =>
  ({
    id: `evt_${++seq}`,
    type,
    orderId: null,
    actor: { kind: 'human', id: 'alex' },
    data,
    occurredAt: `2026-11-20T09:${String(60 - seq).padStart(2, '0')}:00.000Z`,
  }) as TimelineEvent;

const run = { runId: 'run_1', sopId: 'marketplace-refund-kogan' };
// Newest first, as the API answers.
const events = [
  ev('sop.run_finished', { ...run, status: 'completed', failedStepId: null, compensations: [] }),
  ev('sop.step_completed', {
    ...run,
    stepId: 'esg',
    kind: 'manual',
    outcome: 'next',
    title: 'Find the ESG number',
    evidence: [
      { name: 'esgNumber', label: "Kogan's ESG- order number", value: 'ESG-58231467' },
      { name: 'seen', label: 'Seen in the portal', value: true },
    ],
  }),
  ev('sop.step_completed', { ...run, stepId: 'route', kind: 'branch', outcome: 'otherwise', title: 'Route' }),
  ev('sop.step_completed', {
    ...run,
    stepId: 'ticket',
    kind: 'manual',
    outcome: 'next',
    title: 'Copy the ticket',
    evidence: [{ name: 'ticketRef', label: 'The Kogan ticket reference', value: 'KOG-5522' }],
  }),
  ev('sop.run_started', { ...run, version: '1', conversationId: null }),
  ev('note.added', { body: 'Called the customer' }),
];

describe('the activity timeline', () => {
  it('shows a procedure run as one entry with the evidence recorded by hand, opening to its steps in order', async () => {
    fakeApi({ 'GET /v1/customers/cus_1/timeline': { body: { events, nextCursor: null } } });
    renderWithQueries(<Timeline customerId="cus_1" />);
    const list = await screen.findByRole('list');
    await within(list).findAllByRole('listitem');
    const entries = [...list.children];
    expect(entries).toHaveLength(2);
    const run = within(entries[0] as HTMLElement).getByRole('button', { expanded: false });
    expect(run.textContent).toContain('3 steps');
    expect(run.textContent).toContain("The Kogan ticket reference: KOG-5522 · Kogan's ESG- order number: ESG-58231467");
    await userEvent.setup().click(run);
    expect(run.getAttribute('aria-expanded')).toBe('true');
    const steps = [...entries[0]!.querySelectorAll('.timeline-steps > li')].map((li) => li.textContent);
    expect(steps).toHaveLength(5);
    expect(steps[1]).toContain('Copy the ticket (The Kogan ticket reference: KOG-5522)');
    expect(steps[2]).toContain('Route — otherwise');
    expect(steps[3]).toContain(
      "Find the ESG number (Kogan's ESG- order number: ESG-58231467; Seen in the portal: yes)",
    );
    expect(document.body.textContent).not.toContain('step route');
  });

  it('keeps a run as one entry when other events land between its steps, and leaves those in their place', async () => {
    const r2 = { runId: 'run_2', sopId: 'marketplace-refund-kogan' };
    // Newest first: the run waited for a return's refund, then went on.
    const split = [
      ev('sop.step_completed', { ...r2, stepId: 'board', kind: 'manual', outcome: 'next', title: 'Log it' }),
      ev('sop.step_completed', { ...r2, stepId: 'returned', kind: 'wait', outcome: 'next', title: 'Wait' }),
      ev('note.added', { body: 'Refunded the return' }),
      ev('sop.step_completed', { ...r2, stepId: 'start_return', kind: 'tool', outcome: 'next', title: 'Start it' }),
      ev('sop.run_started', { ...r2, version: '3', conversationId: null }),
    ];
    fakeApi({ 'GET /v1/customers/cus_2/timeline': { body: { events: split, nextCursor: null } } });
    renderWithQueries(<Timeline customerId="cus_2" />);
    const list = await screen.findByRole('list');
    await within(list).findAllByRole('listitem');
    const entries = [...list.children];
    expect(entries).toHaveLength(2);
    const run = within(entries[0] as HTMLElement).getByRole('button', { expanded: false });
    expect(run.textContent).toContain('3 steps');
    expect(entries[1]!.classList.contains('timeline-run')).toBe(false);
    await userEvent.setup().click(run);
    const steps = [...entries[0]!.querySelectorAll('.timeline-steps > li')].map((li) => li.textContent);
    expect(steps).toHaveLength(4);
    expect(steps[1]).toContain('Start it');
    expect(steps[3]).toContain('Log it');
  });
});

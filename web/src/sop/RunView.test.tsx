import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SopRunView } from '../api/types';
import { fakeApi, renderWithQueries } from '../test-support';
import { RunView } from './RunView';

const run: SopRunView = {
  id: 'run_1',
  sopId: 'marketplace-refund-kogan',
  sopVersion: '1',
  title: 'Refund a Kogan order',
  status: 'running',
  customerId: 'cus_1',
  conversationId: null,
  current: {
    stepId: 'esg',
    kind: 'manual',
    title: 'Find the ESG number',
    instructions:
      'Open the **seller portal**:\n\n1. Search the order.\n2. Copy its number.\n\n<img src=x onerror="alert(1)">',
    needs: 'evidence',
    system: 'Kogan seller portal',
    hints: [],
    evidence: [
      { name: 'esgNumber', type: 'string', pattern: '^ESG-\\d+$', example: 'ESG-58231467', label: 'ESG number' },
    ],
    allowedTools: [],
  },
  inputs: {},
  completedSteps: ['ticket', 'email'],
  stepTitles: { ticket: 'Copy the ticket', email: 'Ask the email', esg: 'Find the ESG number' },
  evidence: [
    {
      stepId: 'ticket',
      title: 'Copy the ticket',
      system: 'Freshdesk',
      fields: [{ name: 'ticketRef', label: 'The Kogan ticket reference', value: 'KOG-5522' }],
      by: { kind: 'human', id: 'alex' },
      at: '2026-11-20T09:00:00.000Z',
    },
  ],
  messages: [{ stepId: 'email', text: 'Thanks, I have found your order.', disclosures: [] }],
  notices: [],
  refusals: [],
  compensations: [],
  failure: null,
  handoff: null,
  cancelReason: null,
  updatedAt: '2026-11-20T09:00:00.000Z',
};

describe('a guided run', () => {
  it("renders the step's Markdown, shows the evidence format as an example, and lists what was recorded", async () => {
    fakeApi({ 'GET /v1/sop-runs/run_1': { body: run } });
    renderWithQueries(<RunView runId="run_1" onBack={() => {}} onChanged={() => {}} />);
    const now = await screen.findByRole('region', { name: 'What you do now' });
    expect(within(now).getByText('seller portal').tagName).toBe('STRONG');
    expect(
      within(now)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Search the order.', 'Copy its number.']);
    expect(document.querySelector('img')).toBeNull();
    expect(within(now).getByText('ESG-58231467').tagName).toBe('KBD');
    expect(now.textContent).not.toContain('\\d');
    expect((screen.getByLabelText('ESG number') as HTMLInputElement).placeholder).toBe('ESG-58231467');

    const recorded = screen.getByRole('region', { name: 'Recorded evidence' });
    expect(within(recorded).getByText('The Kogan ticket reference').nextSibling?.textContent).toBe('KOG-5522');
    expect(recorded.textContent).toContain('in Freshdesk');

    // What to say is apart from what to do.
    const say = screen.getByRole('region', { name: 'Say to the customer' });
    expect(say.textContent).toContain('Thanks, I have found your order.');
    expect(now.contains(say)).toBe(false);
    const done = screen.getByRole('button', { name: 'Steps done (2)' });
    expect(done.getAttribute('aria-expanded')).toBe('false');
    await userEvent.setup().click(done);
    expect(document.getElementById(done.getAttribute('aria-controls')!)?.textContent).toContain('Copy the ticket');
  });
});

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AiTrace } from './AiTrace';
import type { AiTurn } from '../api/types';
import { renderWithQueries } from '../test-support';

const turn = (over: Partial<AiTurn> = {}): AiTurn => ({
  id: 'turn_1',
  conversationId: 'cnv_1',
  runId: 'run_1',
  outcome: 'waiting',
  stepBefore: 'find_order',
  stepAfter: 'confirm_return',
  messageIds: ['msg_7'],
  modelCalls: 2,
  tokens: 1830,
  durationMs: 1240,
  startedAt: '2026-12-05T10:00:00.000Z',
  finishedAt: '2026-12-05T10:00:01.240Z',
  trace: [
    { type: 'step', stepId: 'find_order', kind: 'ask', note: 'Reads the order number from the answer' },
    {
      type: 'model_call',
      purpose: 'extract_answer',
      attempt: 1,
      shown: 'Step: find_order\nCustomer: my card is [redacted number]',
      tools: ['answer_step'],
      latencyMs: 850,
      inputTokens: 1500,
      outputTokens: 30,
      outcome: 'answer_step {"orderNumber":"#1001"}',
      ok: true,
    },
    {
      type: 'model_call',
      purpose: 'put_preview',
      attempt: 2,
      shown: '…',
      tools: [],
      latencyMs: 30000,
      inputTokens: 300,
      outputTokens: 0,
      outcome: 'timeout after 30000 ms',
      ok: false,
    },
    {
      type: 'tool_call',
      tool: 'initiate_return',
      stepId: 'confirm_return',
      preview: { refundAmount: 4500, currency: 'AUD' },
      refusal: 'return_window_expired',
    },
    { type: 'tool_call', tool: 'lookup_order', stepId: 'find_order', result: { number: 1001 }, confirmedBy: 'msg_8' },
    { type: 'reply', messageId: 'msg_9', text: 'Shipping fees are not refunded.' },
    { type: 'handoff', summary: 'The return window has passed.', handoffId: 'hof_1' },
    { type: 'stopped', why: 'A person paused the AI' },
  ],
  ...over,
});

describe('why the AI did what it did', () => {
  it('lists a turn with its step, each model call with tokens and latency, each tool call, and the next step', async () => {
    const user = userEvent.setup();
    renderWithQueries(<AiTrace turns={[turn()]} />);
    const entry = screen.getByRole('button', { name: /^Waiting for the customer / });
    expect(entry.textContent).toMatch(/^Waiting for the customer .* · 2 model calls · 1,830 tokens · 1\.2 s$/);
    expect(entry.getAttribute('aria-expanded')).toBe('true');
    // What each model was shown opens on demand.
    for (const shown of screen.getAllByRole('button', { name: 'What the model was shown' })) await user.click(shown);
    const steps = within(screen.getByRole('list', { name: 'What the AI did' }))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(steps[0]).toBe('On step find_order (ask): Reads the order number from the answer');
    expect(steps[1]).toContain('Model call extract answer · 1,500 tokens in, 30 tokens out · 850 ms');
    expect(steps[1]).toContain('Answered: answer_step {"orderNumber":"#1001"}');
    expect(steps[1]).toContain('Tools offered: answer_step');
    expect(steps[1]).toContain('Customer: my card is [redacted number]');
    expect(steps[2]).toContain('Model call put preview (try 2) · 300 tokens in, 0 tokens out · 30.0 sfailed');
    expect(steps[2]).toContain('What went wrong: timeout after 30000 ms');
    expect(steps[3]).toContain('Tool initiate_return at step confirm_return');
    expect(steps[3]).toContain('"refundAmount": 4500');
    expect(steps[3]).toContain('Refused: return_window_expired');
    expect(steps[4]).toContain('the customer agreed in msg_8');
    expect(steps[4]).toContain('Result');
    expect(steps[4]).toContain('"number": 1001');
    expect(steps.slice(5)).toEqual([
      'Replied to the customer: “Shipping fees are not refunded.”',
      'Handed to a person: The return window has passed.',
      'Stopped: A person paused the AI',
    ]);
    expect(screen.getByText(/^Started on step/).textContent).toBe('Started on step find_order after reading msg_7.');
    expect(screen.getByText(/^Next step/).textContent).toBe('Next step: confirm_return');
  });

  it('opens the newest turn only, and says so when the AI has not acted', async () => {
    const { unmount } = renderWithQueries(
      <AiTrace turns={[turn({ id: 'turn_2', outcome: 'replied' }), turn({ stepAfter: null })]} />,
    );
    const entries = within(screen.getByRole('list', { name: 'AI turns, newest first' }))
      .getAllByRole('button', { name: /model calls/ })
      .map((b) => b.getAttribute('aria-expanded'));
    expect(entries).toEqual(['true', 'false']);
    await userEvent.setup().click(screen.getByRole('button', { name: /^Waiting for the customer / }));
    expect(screen.getAllByText(/^Next step/).map((p) => p.textContent)).toEqual([
      'Next step: confirm_return',
      'Next step: no step',
    ]);
    unmount();
    renderWithQueries(<AiTrace turns={[]} />);
    expect(screen.getByText('The AI agent has not acted on this conversation.')).toBeTruthy();
  });
});

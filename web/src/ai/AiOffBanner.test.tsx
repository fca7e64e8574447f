import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AiOffBanner } from './AiOffBanner';
import { fakeApi, renderWithQueries } from '../test-support';

describe('the inbox banner while the AI agent is off', () => {
  it('says how to turn it on, in the words the server gives', async () => {
    fakeApi({ 'GET /v1/ai': { body: { enabled: false, howToEnable: 'Set SOPDESK_AI_PROVIDER and restart.' } } });
    renderWithQueries(<AiOffBanner />);
    expect((await screen.findByRole('note')).textContent).toBe(
      'The AI agent is off. Set SOPDESK_AI_PROVIDER and restart.',
    );
  });

  it('is not shown when the AI agent is on', async () => {
    const sent = fakeApi({ 'GET /v1/ai': { body: { enabled: true, howToEnable: 'Set…' } } });
    const { container } = renderWithQueries(<AiOffBanner />);
    await waitFor(() => expect(sent).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });
});

import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import { AiPanel } from './AiPanel';
import { fakeApi, renderWithQueries } from '../test-support';

const ME = { name: 'sam', role: 'agent' } as Me;
const ON = { enabled: true, provider: 'openai', model: 'gpt-4o-mini', howToEnable: 'Set SOPDESK_AI_PROVIDER…' };
const turns = (paused: boolean) => ({ body: { paused, turns: [] } });

describe('Pause AI / Resume AI on a conversation', () => {
  it('pauses the AI with an idempotency key, then offers to resume it', async () => {
    // The server's standing: what a pause or resume sets, every later read answers.
    let paused = false;
    const sent = fakeApi({
      'GET /v1/ai': { body: ON },
      'GET /v1/conversations/cnv_1/ai-turns': () => turns(paused),
      'POST /v1/conversations/cnv_1/ai/pause': () => turns((paused = true)),
      'POST /v1/conversations/cnv_1/ai/resume': () => turns((paused = false)),
    });
    renderWithQueries(<AiPanel conversationId="cnv_1" me={ME} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Pause AI' }));
    await screen.findByRole('button', { name: 'Resume AI' });
    expect(screen.getByText('Paused here')).toBeTruthy();
    const pause = sent.find((s) => s.method === 'POST');
    expect(pause?.path).toBe('/v1/conversations/cnv_1/ai/pause');
    expect(pause?.headers.get('idempotency-key')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Resume AI' }));
    await screen.findByRole('button', { name: 'Pause AI' });
    expect(sent.filter((s) => s.method === 'POST').map((s) => s.path)).toEqual([
      '/v1/conversations/cnv_1/ai/pause',
      '/v1/conversations/cnv_1/ai/resume',
    ]);
    expect(screen.getByText('On')).toBeTruthy();
  });

  it('shows why a pause failed and keeps the button as it was', async () => {
    fakeApi({
      'GET /v1/ai': { body: ON },
      'GET /v1/conversations/cnv_1/ai-turns': turns(false),
      'POST /v1/conversations/cnv_1/ai/pause': {
        status: 403,
        body: { error: { code: 'forbidden', message: 'Your role cannot change this conversation.' } },
      },
    });
    renderWithQueries(<AiPanel conversationId="cnv_1" me={ME} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Pause AI' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your role cannot change this conversation.');
    expect(screen.getByRole('button', { name: 'Pause AI' })).toBeTruthy();
  });

  it('gives a viewer no button, and shows nothing where the AI is off and never acted', async () => {
    fakeApi({
      'GET /v1/ai': { body: ON },
      'GET /v1/conversations/cnv_1/ai-turns': turns(true),
      'GET /v1/conversations/cnv_2/ai-turns': turns(false),
    });
    renderWithQueries(<AiPanel conversationId="cnv_1" me={{ ...ME, role: 'viewer' } as Me} />);
    await screen.findByText('Paused here');
    expect(screen.queryByRole('button', { name: /AI$/ })).toBeNull();

    const sent = fakeApi({
      'GET /v1/ai': { body: { ...ON, enabled: false } },
      'GET /v1/conversations/cnv_2/ai-turns': turns(false),
    });
    const { container } = renderWithQueries(<AiPanel conversationId="cnv_2" me={ME} />);
    await waitFor(() => expect(sent.map((s) => s.path)).toContain('/v1/conversations/cnv_2/ai-turns'));
    await waitFor(() => expect(sent.map((s) => s.path)).toContain('/v1/ai'));
    expect(container.textContent).toBe('');
  });
});

import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { fakeApi, renderWithQueries } from './test-support';

describe('the app shell', () => {
  it('shows the sign-in page when nobody is signed in (401)', async () => {
    fakeApi({
      'GET /v1/session': { status: 401, body: { error: { code: 'unauthorized', message: 'Sign in first.' } } },
    });
    renderWithQueries(<App />);
    expect(await screen.findByRole('heading', { name: 'Sign in to sopdesk' })).toBeTruthy();
  });

  it('shows a server fault (500) as an error with a retry, not as the sign-in page', async () => {
    fakeApi({
      'GET /v1/session': {
        status: 500,
        body: { error: { code: 'internal', message: 'Something went wrong on the server.' } },
      },
    });
    renderWithQueries(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Something went wrong on the server.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Sign in to sopdesk' })).toBeNull();
  });

  it('shows the inbox with the queued handoffs counted for a signed-in agent', async () => {
    fakeApi({
      'GET /v1/session': { body: { name: 'Ana', role: 'agent' } },
      'GET /v1/handoffs': { body: { handoffs: [{ id: 'hof_1' }, { id: 'hof_2' }] } },
      'GET /v1/conversations': { body: { items: [], nextCursor: null } },
    });
    renderWithQueries(<App />);
    expect(await screen.findByRole('link', { name: 'Handoff queue (2)' })).toBeTruthy();
    expect(screen.getByText('Ana')).toBeTruthy();
  });
});

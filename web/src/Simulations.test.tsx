import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Simulations } from './Simulations';
import { fakeApi, renderWithQueries } from './test-support';

const run = (over: Record<string, unknown> = {}) => ({
  id: 'sim_01',
  sopId: 'handling-returns',
  k: 2,
  model: 'scripted',
  status: 'running',
  total: 4,
  done: 3,
  passed: 2,
  failed: 1,
  startedBy: 'human:root',
  startedAt: '2026-11-20T10:00:00.000Z',
  finishedAt: null,
  canceledAt: null,
  canceledBy: null,
  error: null,
  ...over,
});
const detail = {
  run: run(),
  simulations: [
    {
      sopId: 'handling-returns',
      name: 'returns a broken lamp inside the window',
      goal: 'Return one lamp',
      file: 'handling-returns/simulations/01-return-inside-window.yaml',
      trials: [
        { id: 'trl_1', trial: 1, ok: true, failures: [], turns: 7, ms: 900 },
        {
          id: 'trl_2',
          trial: 2,
          ok: false,
          failures: ['handoff: a person should have taken over, none did'],
          turns: 3,
          ms: 400,
        },
      ],
      passes: 1,
      passHat: [0.5, 0],
    },
  ],
  coverage: [],
  errors: [],
};
const trial = {
  id: 'trl_2',
  runId: 'sim_01',
  sopId: 'handling-returns',
  name: 'returns a broken lamp inside the window',
  goal: 'Return one lamp',
  trial: 2,
  ok: false,
  failures: ['handoff: a person should have taken over, none did'],
  turns: 1,
  ms: 400,
  conversation: [
    {
      customer: 'I want to return a lamp',
      agent: ['What is the email address registered on your account?'],
      trace: { summary: '- → email, replied, 1 model call(s)', lines: ['model choose_sop #1: start_procedure'] },
    },
    {
      customer: null,
      team: ['received: receive_return {"returnId":"ret_1"}'],
      agent: ['We received your return.'],
      trace: { summary: 'received → refund_return, replied, 1 model call(s)', lines: [] },
    },
  ],
};
const suite = {
  simulations: [
    { sopId: 'handling-returns', name: 'a', goal: 'g', file: 'f1' },
    { sopId: 'cancel-or-refund-order', name: 'b', goal: 'g', file: 'f2' },
  ],
  models: ['scripted'],
};

describe('the Simulations page', () => {
  it('lets an admin start a run of one SOP with its k, then shows its progress and pass^k', async () => {
    let started = false;
    const sent = fakeApi({
      'GET /v1/simulations': { body: suite },
      'GET /v1/simulation-runs': () => ({ body: { runs: started ? [run()] : [] } }),
      'POST /v1/simulation-runs': () => {
        started = true;
        return { status: 202, body: run({ done: 0, passed: 0, failed: 0 }) };
      },
      'GET /v1/simulation-runs/sim_01': { body: detail },
    });
    renderWithQueries(<Simulations me={{ name: 'Root', role: 'admin' }} />);
    expect(await screen.findByText(/2 simulations over 2 SOPs/)).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'handling-returns' } });
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '2' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Run simulations' }));
    await waitFor(() => expect(sent.some((s) => s.method === 'POST')).toBe(true));
    expect(sent.find((s) => s.method === 'POST')!.body).toEqual({ k: 2, model: 'scripted', sopId: 'handling-returns' });
    expect(await screen.findByText('3 / 4 trials · 2 passed · 1 failed', { selector: 'p' })).toBeTruthy();
    expect(screen.getByText('50% · 0%')).toBeTruthy();
    expect(screen.getByText('handoff: a person should have taken over, none did')).toBeTruthy();
  });

  it('opens a trial’s transcript with the agent’s trace beside each turn; a viewer cannot start runs', async () => {
    fakeApi({
      'GET /v1/simulations': { body: suite },
      'GET /v1/simulation-runs': { body: { runs: [run({ status: 'finished' })] } },
      'GET /v1/simulation-runs/sim_01': { body: detail },
      'GET /v1/simulation-runs/sim_01/trials/trl_2': { body: trial },
    });
    renderWithQueries(<Simulations me={{ name: 'Vi', role: 'viewer' }} />);
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Transcript of returns a broken lamp inside the window, trial 2 (failed)',
      }),
    );
    const trace = await screen.findByLabelText('Trace of turn 1');
    expect(trace.textContent).toContain('model choose_sop #1: start_procedure');
    expect(screen.getByText('What is the email address registered on your account?')).toBeTruthy();
    // A turn the agent took after the team acted shows what the team did, and no customer message.
    const second = screen.getByLabelText('Trace of turn 2').parentElement!;
    expect(second.textContent).toContain('Team: received: receive_return {"returnId":"ret_1"}');
    expect(second.textContent).not.toContain('Customer');
    expect(screen.queryByRole('form', { name: 'Run simulations' })).toBeNull();
  });

  it('lets an admin cancel a running run; the list then says who canceled it', async () => {
    let canceled = false;
    const sent = fakeApi({
      'GET /v1/simulations': { body: suite },
      'GET /v1/simulation-runs': () => ({
        body: {
          runs: [
            canceled
              ? run({ status: 'canceled', canceledAt: '2026-11-20T10:01:00.000Z', canceledBy: 'human:root' })
              : run(),
          ],
        },
      }),
      'POST /v1/simulation-runs/sim_01/cancel': () => {
        canceled = true;
        return { body: run({ status: 'canceled', canceledBy: 'human:root' }) };
      },
      'GET /v1/simulation-runs/sim_01': { body: detail },
    });
    renderWithQueries(<Simulations me={{ name: 'Root', role: 'admin' }} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel run sim_01' }));
    await waitFor(() => expect(sent.some((s) => s.method === 'POST' && s.path.endsWith('/cancel'))).toBe(true));
    expect(await screen.findByText(/canceled by human:root/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel run sim_01' })).toBeNull();
  });
});

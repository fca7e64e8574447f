import {
  getSimulationRun,
  getSimulationTrial,
  listSimulationRuns,
} from '../../app/simulations/read-simulation-runs.js';
import {
  SimulationRunDetailOut,
  SimulationRunListOut,
  SimulationRunOut,
  SimulationSuiteOut,
  SimulationTrialOut,
  StartSimulationRunBody,
} from '../../app/simulations/schemas.js';
import { notEligible } from '../../kernel/errors.js';
import { defineRoute, WRITE_ERRORS } from '../define-route.js';

/**
 * Simulations from the inbox (docs/simulations.md): the suite, runs started as background work on trial stores (an
 * admin's), their progress and results, and each trial's transcript with the agent's trace. The runner is the app's
 * (`simulations` in src/http/app.ts); without one, runs cannot be started.
 */
export const SIMULATION_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/simulations',
    operationId: 'listSimulations',
    summary: 'The simulations this server can run (docs/simulations.md), and the agent models a run may use',
    tag: 'simulations',
    errors: [401],
    ok: { status: 200, description: 'The suite', schema: SimulationSuiteOut },
    run: ({ server }) => ({
      simulations: server.simulations?.suite() ?? [],
      models: server.simulations?.models() ?? [],
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/simulation-runs',
    operationId: 'listSimulationRuns',
    summary: 'Simulation runs, newest first, each with its progress',
    tag: 'simulations',
    errors: [401],
    ok: { status: 200, description: 'The runs', schema: SimulationRunListOut },
    run: async ({ ctx }) => ({ runs: await listSimulationRuns(ctx) }),
  }),
  defineRoute({
    method: 'post',
    path: '/v1/simulation-runs',
    operationId: 'startSimulationRun',
    summary:
      'Start a simulation run (admin): every simulation, or one SOP’s, k trials each, as background work on trial stores — never this store',
    description:
      'One run at a time: while another is still running the answer is 409 (reason simulation_running). A run on a server started without its SOP library is refused (422, simulations_unavailable).',
    tag: 'simulations',
    roles: ['admin'],
    body: StartSimulationRunBody,
    errors: [...WRITE_ERRORS, 422],
    ok: {
      status: 202,
      description: 'The run, started; read its progress at /v1/simulation-runs/{id}',
      schema: SimulationRunOut,
    },
    run: ({ server, body, opts }) => {
      if (!server.simulations)
        throw notEligible(
          'simulations_unavailable',
          'This server does not run simulations (it was started without its SOP library).',
          'Simulations run on a server started with `sopdesk start`.',
        );
      return server.simulations.start(body, opts);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/simulation-runs/{id}/cancel',
    operationId: 'cancelSimulationRun',
    summary: 'Cancel a simulation run (admin): no trial starts after it, and the trial in flight stops',
    description:
      'The trials that finished are kept; the trial in flight stops at its next customer message and is not kept. The run answers with status canceled. Canceling a run that already ended changes nothing.',
    tag: 'simulations',
    roles: ['admin'],
    idempotent: false,
    errors: [401, 403, 404, 422],
    ok: { status: 200, description: 'The run', schema: SimulationRunOut },
    run: ({ server, params, opts }) => {
      if (!server.simulations)
        throw notEligible(
          'simulations_unavailable',
          'This server does not run simulations (it was started without its SOP library).',
          'Simulations run on a server started with `sopdesk start`.',
        );
      return server.simulations.cancel(params.id, opts);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/simulation-runs/{id}',
    operationId: 'getSimulationRun',
    summary: 'A simulation run: its progress, and per simulation its finished trials, passes and pass^k',
    tag: 'simulations',
    ok: { status: 200, description: 'The run', schema: SimulationRunDetailOut },
    run: ({ ctx, params }) => getSimulationRun(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/v1/simulation-runs/{id}/trials/{trialId}',
    operationId: 'getSimulationTrial',
    summary: 'One trial of a simulation run: its verdict and the conversation, with the agent’s trace beside each turn',
    tag: 'simulations',
    ok: { status: 200, description: 'The trial', schema: SimulationTrialOut },
    run: ({ ctx, params }) => getSimulationTrial(ctx, params.id, params.trialId),
  }),
];

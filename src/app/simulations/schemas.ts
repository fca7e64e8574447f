/** Schemas of simulation runs started from the inbox: the start body and the answers (docs/simulations.md). */
import { z } from 'zod';
import { SIMULATION_RUN_STATUSES } from '../../domain/simulations.js';
import { isoTimeOut } from '../outputs.js';

export const StartSimulationRunBody = z
  .object({
    sopId: z.string().min(1).max(200).optional().describe('Run only this SOP’s simulations; absent = every SOP’s'),
    k: z.number().int().min(1).max(10).default(3).describe('Trials per simulation (pass^k), 1 to 10; default 3'),
    model: z
      .enum(['scripted', 'configured'])
      .default('scripted')
      .describe('The agent’s model: the deterministic scripted one (default), or the configured AI model'),
  })
  .strict();
export type StartSimulationRunBody = z.infer<typeof StartSimulationRunBody>;

export const SimulationOut = z.object({
  sopId: z.string(),
  name: z.string(),
  goal: z.string(),
  file: z.string().describe('The simulation’s file, relative to the SOP library'),
});

export const SimulationSuiteOut = z.object({
  simulations: z.array(SimulationOut).describe('Every simulation the server can run, by SOP'),
  models: z.array(z.enum(['scripted', 'configured'])).describe('The agent models a run may use here'),
});

export const SimulationRunOut = z.object({
  id: z.string().describe('sim_…'),
  sopId: z.string().nullable().describe('The one SOP run; null = every SOP'),
  k: z.number().int(),
  model: z.string().describe('The agent’s model: scripted, or provider:model'),
  status: z
    .enum(SIMULATION_RUN_STATUSES)
    .describe(
      'running; finished; failed (the suite could not run: see error); interrupted (the server stopped); canceled (a person stopped it: see canceledBy)',
    ),
  total: z.number().int().describe('Trials to run: simulations × k'),
  done: z.number().int().describe('Trials finished'),
  passed: z.number().int().describe('Trials that passed'),
  failed: z.number().int().describe('Trials that failed'),
  startedBy: z.string(),
  startedAt: isoTimeOut('When it started'),
  finishedAt: isoTimeOut('When it ended').nullable(),
  canceledAt: isoTimeOut('When a person canceled it').nullable(),
  canceledBy: z.string().nullable().describe('Who canceled it (kind:id)'),
  error: z.string().nullable(),
});
export type SimulationRunView = z.infer<typeof SimulationRunOut>;

const TrialSummaryOut = z.object({
  id: z.string().describe('trl_…: read its transcript at /v1/simulation-runs/{id}/trials/{trialId}'),
  trial: z.number().int(),
  ok: z.boolean(),
  failures: z.array(z.string()).describe('Each success criterion that did not hold, in words'),
  turns: z.number().int().describe('Customer messages written'),
  ms: z.number().int(),
});

export const SimulationRunDetailOut = z.object({
  run: SimulationRunOut,
  simulations: z.array(
    SimulationOut.extend({
      trials: z.array(TrialSummaryOut).describe('Its finished trials, in trial order'),
      passes: z.number().int(),
      passHat: z.array(z.number()).describe('pass^1…pass^k, once all k trials finished; empty before'),
    }),
  ),
  coverage: z.array(z.string()).describe('At the end: the SOP steps and branches no trial reached'),
  errors: z.array(z.string()).describe('Simulation files that are not valid (file:line: field: message)'),
});
export type SimulationRunDetail = z.infer<typeof SimulationRunDetailOut>;

export const SimulationTrialOut = TrialSummaryOut.extend({
  runId: z.string(),
  sopId: z.string(),
  name: z.string(),
  goal: z.string(),
  conversation: z
    .array(
      z.object({
        customer: z
          .string()
          .nullable()
          .describe('The customer’s message; null on a turn the agent took after the team acted'),
        team: z
          .array(z.string())
          .optional()
          .describe('What the team did before this turn: a manual step’s evidence, a tool call, time passing'),
        agent: z.array(z.string()).describe('The agent’s replies to it'),
        trace: z
          .object({ summary: z.string(), lines: z.array(z.string()) })
          .nullable()
          .describe('The agent’s turn: step before → after, outcome, and each step, model call, tool call'),
      }),
    )
    .describe('The conversation turn by turn, the agent’s trace beside each turn'),
});
export type SimulationTrialView = z.infer<typeof SimulationTrialOut>;

export const SimulationRunListOut = z.object({ runs: z.array(SimulationRunOut).describe('Newest first') });
